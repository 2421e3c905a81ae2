import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { parseRepositoryUrl } from './source-url.ts';

const parse = (url: string, allowLocal = false) => parseRepositoryUrl({ url, allowLocal });

function errorOf(fn: () => unknown): AppError {
	try {
		fn();
	} catch (e) {
		if (e instanceof AppError) return e;
		throw e;
	}
	throw new Error('expected an AppError');
}

describe('parseRepositoryUrl', () => {
	it.each([
		['https://github.com/acme/shop', 'https://github.com/acme/shop', 'acme/shop'],
		['  https://github.com/acme/shop.git/ ', 'https://github.com/acme/shop.git', 'acme/shop'],
		[
			'HTTPS://GitLab.com/group/sub/app.git',
			'https://gitlab.com/group/sub/app.git',
			'group/sub/app'
		],
		['https://git.example.com:8443/app', 'https://git.example.com:8443/app', 'app']
	])('reads the public HTTPS URL %s', (input, url, displayName) => {
		expect(parse(input)).toMatchObject({ kind: 'https', url, displayName });
	});

	it('returns the host of HTTPS and SSH URLs', () => {
		expect(parse('https://git.example.com:8443/app').host).toBe('git.example.com');
		expect(parse('git@github.com:acme/shop.git').host).toBe('github.com');
	});

	it.each([
		['git@github.com:acme/shop.git', 'github.com', 'acme/shop'],
		['deploy@git.example.com:/srv/git/app.git', 'git.example.com', 'srv/git/app'],
		['ssh://git@github.com/acme/shop.git', 'github.com', 'acme/shop'],
		['ssh://git@git.example.com:2222/team/app', 'git.example.com', 'team/app'],
		['git+ssh://git@10.0.0.5/app.git', '10.0.0.5', 'app']
	])('reads the SSH URL %s', (url, host, displayName) => {
		expect(parse(url)).toEqual({ kind: 'ssh', url, host, displayName });
	});

	it('accepts local repositories only when they are allowed', () => {
		expect(parse('/srv/repos/app.git', true)).toEqual({
			kind: 'local',
			url: '/srv/repos/app.git',
			displayName: 'app'
		});
		expect(parse('file:///tmp/slipway%20test/app', true)).toMatchObject({
			kind: 'local',
			url: 'file:///tmp/slipway%20test/app',
			displayName: 'app'
		});
		for (const url of ['/srv/repos/app', 'file:///srv/repos/app']) {
			const error = errorOf(() => parse(url));
			expect(error.message).toBe(
				'Local repositories are disabled; set SLIPWAY_ALLOW_LOCAL_GIT=1 to allow them (meant for tests and single-user setups).'
			);
		}
		expect(errorOf(() => parse('./app', true)).message).toMatch(/absolute path/);
		expect(errorOf(() => parse('file://otherhost/srv/app', true)).message).toMatch(/this machine/);
	});

	it.each([
		['', /Enter the repository URL/],
		['https://user:ghp_token@github.com/acme/shop', /Remove the user name and password/],
		['https://ghp_token@github.com/acme/shop', /Remove the user name and password/],
		['http://github.com/acme/shop', /Plain http:\/\/ is not allowed/],
		['git://github.com/acme/shop.git', /git:\/\/ protocol/],
		['ftp://example.com/repo', /ftp:\/\/ URLs are not supported/],
		['ext::sh -c touch% /tmp/pwned', /spaces/],
		['ext::sh', /Enter an HTTPS URL/],
		['-uploadpack=touch /tmp/x', /spaces|start with "-"/],
		['--upload-pack=evil', /start with "-"/],
		['ssh://-oProxyCommand=evil/x', /not a valid host/],
		['-oProxyCommand=evil@host:repo', /start with "-"/],
		['git@-oProxyCommand=evil:repo', /not a valid host/],
		['git@github.com:', /names no repository/],
		['git@github.com:-repo', /names no repository/],
		['https://github.com/', /names no repository/],
		['https://github.com/acme/shop#main', /Remove the \?… and #…/],
		['https://github.com/acme shop', /spaces/],
		[
			'github.com/acme/shop',
			/Start the URL with https:\/\/ \(for example https:\/\/github.com\/acme\/shop\)/
		],
		['shop', /Enter an HTTPS URL/],
		['https://bad_host!/repo', /not a valid|not a valid URL/]
	])('rejects %j with a clear message', (url, message) => {
		const error = errorOf(() => parse(url, false));
		expect(error).toMatchObject({ code: 'INVALID', field: 'repoUrl' });
		expect(error.message).toMatch(message);
	});

	it('refuses over-long URLs and broken escapes', () => {
		expect(errorOf(() => parse(`https://github.com/${'a'.repeat(2048)}`)).message).toMatch(
			/too long/
		);
		expect(errorOf(() => parse('file:///tmp/%zz', true)).message).toMatch(/broken %-escape/);
	});

	it('never repeats a token from the URL in its message', () => {
		const error = errorOf(() => parse('https://x-access-token:ghs_secret@github.com/a/b'));
		expect(error.message).not.toContain('ghs_secret');
	});
});
