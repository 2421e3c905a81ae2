import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeState } from './server.ts';

/**
 * Git's smart HTTP for `<url>/<owner>/<repo>.git/...`, through `git http-backend`, open only to
 * an unexpired installation token that covers the repository (as GitHub: user `x-access-token`,
 * the token as password). Anything else gets GitHub's 401 / 404 so a missing token is visible.
 */
export function serveGit(state: FakeState, req: IncomingMessage, res: ServerResponse, url: URL) {
	const m = /^\/([^/]+)\/([^/]+)\.git(\/.*)$/.exec(url.pathname);
	const repo = m
		? [...state.installations.values()]
				.flatMap((i) => i.repos.map((r) => ({ inst: i, repo: r })))
				.find((x) => x.repo.fullName.toLowerCase() === `${m[1]}/${m[2]}`.toLowerCase())
		: undefined;
	if (!m || !repo?.repo.gitPath) {
		res.writeHead(404).end('Repository not found.');
		return;
	}
	const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
	const [user, password] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
	const token = password ? state.installationTokens.get(password) : undefined;
	const covers =
		user === 'x-access-token' &&
		token &&
		token.expiresAt > Date.now() &&
		token.installationId === repo.inst.id &&
		(!token.repositoryIds || token.repositoryIds.includes(repo.repo.id));
	if (!covers) {
		res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' }).end();
		return;
	}
	const child = spawn('git', ['http-backend'], {
		env: {
			PATH: process.env.PATH,
			GIT_PROJECT_ROOT: repo.repo.gitPath,
			GIT_HTTP_EXPORT_ALL: '1',
			GIT_CONFIG_NOSYSTEM: '1',
			GIT_CONFIG_GLOBAL: '/dev/null',
			GIT_CONFIG_COUNT: '1',
			GIT_CONFIG_KEY_0: 'uploadpack.allowAnySHA1InWant',
			GIT_CONFIG_VALUE_0: 'true',
			PATH_INFO: `/.git${m[3]}`,
			REQUEST_METHOD: req.method ?? 'GET',
			QUERY_STRING: url.search.slice(1),
			CONTENT_TYPE: req.headers['content-type'] ?? '',
			...(req.headers['content-encoding']
				? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }
				: {}),
			GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
			REMOTE_USER: 'x-access-token'
		},
		stdio: ['pipe', 'pipe', 'ignore']
	});
	req.pipe(child.stdin);
	// CGI: headers, blank line, body.
	let head = Buffer.alloc(0);
	let headersSent = false;
	child.stdout.on('data', (chunk: Buffer) => {
		if (headersSent) return void res.write(chunk);
		head = Buffer.concat([head, chunk]);
		const end = head.indexOf('\r\n\r\n');
		if (end === -1) return;
		const lines = head.subarray(0, end).toString().split('\r\n');
		let status = 200;
		const headers: Record<string, string> = {};
		for (const line of lines) {
			const i = line.indexOf(':');
			const k = line.slice(0, i).trim();
			const v = line.slice(i + 1).trim();
			if (k.toLowerCase() === 'status') status = Number(v.split(' ')[0]);
			else headers[k] = v;
		}
		res.writeHead(status, headers);
		headersSent = true;
		res.write(head.subarray(end + 4));
	});
	child.on('close', () => res.end());
}
