import { AppError } from '../errors.ts';

export type RepositorySource = {
	kind: 'https' | 'ssh' | 'local';
	/** What to hand to `git clone`, normalised. */
	url: string;
	host?: string;
	/** Short name for lists: `owner/repo`, or the folder name of a local repository. */
	displayName: string;
};

const MAX_URL_LENGTH = 2048;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;
const IPV6 = /^\[[0-9a-f:.]+\]$/i;
// A user or host starting with "-" would reach ssh as an option (CVE-2017-1000117).
const SSH_USER = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const SCP_LIKE = /^([^@/:]+)@([^@/:]+):(.*)$/;

const EXAMPLES =
	'Enter an HTTPS URL (https://github.com/owner/repo) or an SSH URL (git@github.com:owner/repo.git).';

function invalid(message: string): AppError {
	return new AppError('INVALID', message, { field: 'repoUrl' });
}

function decode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		throw invalid(`The URL contains a broken %-escape. ${EXAMPLES}`);
	}
}

function nameFromPath(path: string): string {
	return path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
}

function checkHost(host: string) {
	if (!HOSTNAME.test(host) && !IPV6.test(host)) {
		throw invalid(`"${host}" is not a valid host name. ${EXAMPLES}`);
	}
}

function parseHttps(url: URL): RepositorySource {
	if (url.username || url.password) {
		throw invalid(
			'Remove the user name and password from the URL: Slipway clones HTTPS repositories without credentials. For a private repository, use the GitHub App or an SSH URL with a deploy key.'
		);
	}
	if (url.search || url.hash) {
		throw invalid('Remove the ?… and #… parts from the URL; choose the branch in the settings.');
	}
	checkHost(url.hostname);
	const path = url.pathname.replace(/\/+$/, '');
	if (nameFromPath(path) === '') throw invalid(`The URL names no repository. ${EXAMPLES}`);
	return {
		kind: 'https',
		url: `https://${url.host}${path}`,
		host: url.hostname,
		displayName: nameFromPath(path)
	};
}

function parseSsh({
	user,
	host,
	path,
	url
}: {
	user: string;
	host: string;
	path: string;
	url: string;
}) {
	if (user && !SSH_USER.test(user)) throw invalid(`"${user}" is not a valid SSH user name.`);
	checkHost(host);
	if (nameFromPath(path) === '' || path.startsWith('-') || path.startsWith(':')) {
		throw invalid(`The SSH URL names no repository. ${EXAMPLES}`);
	}
	return { kind: 'ssh', url, host, displayName: nameFromPath(path) } satisfies RepositorySource;
}

function parseLocal(path: string, url: string, allowLocal: boolean): RepositorySource {
	if (!allowLocal) {
		throw invalid(
			'Local repositories are disabled; set SLIPWAY_ALLOW_LOCAL_GIT=1 to allow them (meant for tests and single-user setups).'
		);
	}
	if (!path.startsWith('/')) throw invalid('Use an absolute path for a local repository.');
	const name = nameFromPath(path).split('/').pop() ?? '';
	return { kind: 'local', url, displayName: name || path };
}

/**
 * Classifies and checks the repository URL a user typed. Refuses what would leak credentials,
 * travel unencrypted, or let the URL act as an option to git or ssh.
 */
export function parseRepositoryUrl({
	url: input,
	allowLocal
}: {
	url: string;
	allowLocal: boolean;
}): RepositorySource {
	const url = input.trim();
	if (url === '') throw invalid(`Enter the repository URL. ${EXAMPLES}`);
	if (url.length > MAX_URL_LENGTH) throw invalid('This URL is too long for a repository URL.');
	if (/[\p{Cc}\s]/u.test(url)) {
		throw invalid('Repository URLs cannot contain spaces or control characters.');
	}
	if (url.startsWith('-')) throw invalid(`Repository URLs cannot start with "-". ${EXAMPLES}`);

	const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1].toLowerCase();
	if (scheme === undefined) {
		if (url.startsWith('/')) return parseLocal(url, url, allowLocal);
		const scp = SCP_LIKE.exec(url);
		if (scp) return parseSsh({ user: scp[1], host: scp[2], path: scp[3], url });
		if (/^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?\//i.test(url)) {
			throw invalid(`Start the URL with https:// (for example https://${url}).`);
		}
		throw invalid(allowLocal ? `${EXAMPLES} Local repositories need an absolute path.` : EXAMPLES);
	}

	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw invalid(`This is not a valid URL. ${EXAMPLES}`);
	}
	switch (scheme) {
		case 'https':
			return parseHttps(parsed);
		case 'ssh':
		case 'git+ssh':
		case 'ssh+git': {
			if (parsed.password) {
				throw invalid('Remove the password from the URL; SSH uses the deploy key.');
			}
			if (parsed.search || parsed.hash) throw invalid('Remove the ?… and #… parts from the URL.');
			const user = decode(parsed.username);
			return parseSsh({ user, host: parsed.hostname, path: parsed.pathname, url });
		}
		case 'file':
			if (parsed.hostname !== '' && parsed.hostname !== 'localhost') {
				throw invalid('file:// URLs must point at this machine (file:///path/to/repo).');
			}
			return parseLocal(decode(parsed.pathname), url, allowLocal);
		case 'http':
			throw invalid(
				'Plain http:// is not allowed: the code could be altered on the way. Use the https:// URL of the repository.'
			);
		case 'git':
			throw invalid(
				'The git:// protocol is neither encrypted nor authenticated. Use the https:// or SSH URL.'
			);
		default:
			throw invalid(`${scheme}:// URLs are not supported. ${EXAMPLES}`);
	}
}
