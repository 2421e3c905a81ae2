import { randomBytes } from 'node:crypto';
import { json, type FakeGithub, type Handler } from './server.ts';

/**
 * GitHub's pages, where a browser goes rather than an API client: creating an App from a
 * manifest, the OAuth authorize page and token exchange, and the App's install page.
 */
export function webRoutes(fake: FakeGithub): [string, string, Handler][] {
	const s = fake.state;
	return [
		// --- App manifest flow (docs: "Registering a GitHub App from a manifest") -------------------
		['POST', '/settings/apps/new', manifestPage(fake, null)],
		[
			'POST',
			'/organizations/:org/settings/apps/new',
			(req, res, p, url) => manifestPage(fake, p.org)(req, res, p, url)
		],
		// --- OAuth (sign in with GitHub) --------------------------------------------------------------
		[
			'GET',
			'/login/oauth/authorize',
			(_req, res, _p, url) => {
				if (url.searchParams.get('client_id') !== s.app.clientId)
					return json(res, 404, { message: 'Not Found' });
				if (s.browserUserId === null)
					return json(res, 403, { message: 'nobody signed in on the fake GitHub' });
				const code = randomBytes(10).toString('hex');
				s.oauthCodes.set(code, s.browserUserId);
				const back = new URL(url.searchParams.get('redirect_uri')!);
				back.searchParams.set('code', code);
				back.searchParams.set('state', url.searchParams.get('state') ?? '');
				res.writeHead(302, { location: back.toString() }).end();
			}
		],
		[
			'POST',
			'/login/oauth/access_token',
			(req, res) => {
				const body = req.body as Record<string, string>;
				const basic = req.headers.authorization?.replace(/^Basic /, '');
				const [id, secret] = basic
					? Buffer.from(basic, 'base64').toString().split(':')
					: [body.client_id, body.client_secret];
				if (
					decodeURIComponent(id) !== s.app.clientId ||
					decodeURIComponent(secret) !== s.app.clientSecret
				) {
					return json(res, 200, {
						error: 'incorrect_client_credentials',
						error_description: 'The client_id and/or client_secret passed are incorrect.'
					});
				}
				const userId = s.oauthCodes.get(body.code);
				if (userId === undefined) {
					return json(res, 200, {
						error: 'bad_verification_code',
						error_description: 'The code passed is incorrect or expired.'
					});
				}
				s.oauthCodes.delete(body.code);
				const token = `ghu_${randomBytes(16).toString('hex')}`;
				s.userTokens.set(token, userId);
				json(res, 200, { access_token: token, token_type: 'bearer', scope: '' });
			}
		],
		// --- Installing the App -----------------------------------------------------------------------
		[
			'GET',
			'/apps/:slug/installations/new',
			(_req, res, _p, url) => {
				// Real GitHub shows a page; the test decides what the user picks (fake.state.nextInstall).
				const next = s.nextInstall;
				if (!next || !s.setupUrl) {
					return json(res, 200, {
						message: 'install page (set state.nextInstall and setupUrl to simulate)'
					});
				}
				const code = randomBytes(10).toString('hex');
				if (s.browserUserId !== null) s.oauthCodes.set(code, s.browserUserId);
				const back = new URL(s.setupUrl);
				back.searchParams.set('installation_id', String(next));
				back.searchParams.set('setup_action', 'install');
				back.searchParams.set('code', code);
				if (url.searchParams.get('state'))
					back.searchParams.set('state', url.searchParams.get('state')!);
				res.writeHead(302, { location: back.toString() }).end();
			}
		]
	];
}

/** GitHub's "create App from manifest" page: the test's browser posts the form, GitHub redirects back. */
function manifestPage(fake: FakeGithub, owner: string | null): Handler {
	return (req, res, _p, url) => {
		const form = req.body as Record<string, string>;
		const manifest = JSON.parse(form.manifest ?? '{}') as Record<string, unknown>;
		const code = randomBytes(10).toString('hex');
		fake.state.manifests.set(code, { manifest, owner });
		const back = new URL(manifest.redirect_url as string);
		back.searchParams.set('code', code);
		if (url.searchParams.get('state'))
			back.searchParams.set('state', url.searchParams.get('state')!);
		res.writeHead(302, { location: back.toString() }).end();
	};
}
