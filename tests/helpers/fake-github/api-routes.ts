import { createVerify, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, type FakeGithub, type FakeRepo, type Handler } from './server.ts';

const API = '/api/v3';

function unauthorized(res: ServerResponse) {
	json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
}

function bearer(req: IncomingMessage): string | null {
	const h = req.headers.authorization ?? '';
	const m = /^(?:token|bearer)\s+(\S+)$/i.exec(h);
	return m ? m[1] : null;
}

/** Checks an App JWT (RS256, signed with the App's private key, iss = app id, not expired). */
function validJwt(fake: FakeGithub, token: string | null): boolean {
	if (!token) return false;
	const [h, p, s] = token.split('.');
	if (!h || !p || !s) return false;
	const verify = createVerify('RSA-SHA256');
	verify.update(`${h}.${p}`);
	if (!verify.verify(fake.state.app.publicKey, Buffer.from(s, 'base64url'))) return false;
	const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
	const now = Math.floor(Date.now() / 1000);
	return String(claims.iss) === String(fake.state.app.id) && claims.exp > now - 30;
}

function installationToken(fake: FakeGithub, req: IncomingMessage) {
	const token = bearer(req);
	const issued = token ? fake.state.installationTokens.get(token) : undefined;
	if (!issued || issued.expiresAt < Date.now()) return null;
	return issued;
}

function repoJson(
	fake: FakeGithub,
	repo: FakeRepo,
	owner: { login: string; id: number; type: string }
) {
	const [, name] = repo.fullName.split('/');
	return {
		id: repo.id,
		node_id: `R_${repo.id}`,
		name,
		full_name: repo.fullName,
		private: repo.private,
		owner: { login: owner.login, id: owner.id, type: owner.type },
		html_url: `${fake.url}/${repo.fullName}`,
		clone_url: `${fake.url}/${repo.fullName}.git`,
		default_branch: repo.defaultBranch,
		updated_at: '2026-11-20T10:00:00Z'
	};
}

function findRepo(fake: FakeGithub, owner: string, name: string) {
	const full = `${owner}/${name}`.toLowerCase();
	for (const inst of fake.state.installations.values()) {
		const repo = inst.repos.find((r) => r.fullName.toLowerCase() === full);
		if (repo) return { inst, repo };
	}
	return null;
}

function installationJson(fake: FakeGithub, id: number) {
	const inst = fake.state.installations.get(id)!;
	return {
		id: inst.id,
		account: { login: inst.account.login, id: inst.account.id, type: inst.account.type },
		repository_selection: 'selected',
		app_id: fake.state.app.id,
		app_slug: fake.state.app.slug,
		target_type: inst.account.type,
		suspended_at: inst.suspended ? '2026-11-20T10:00:00Z' : null,
		html_url: `${fake.url}/settings/installations/${inst.id}`
	};
}

/** Pages like GitHub: `per_page` (max 100), `page`, and a Link header naming the next page. */
function page<T>(res: ServerResponse, url: URL, items: T[], wrap: (items: T[]) => unknown) {
	const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
	const pageNo = Math.max(1, Number(url.searchParams.get('page') ?? 1));
	const slice = items.slice((pageNo - 1) * perPage, pageNo * perPage);
	const links: string[] = [];
	const at = (n: number) => {
		const next = new URL(url.toString());
		next.searchParams.set('page', String(n));
		next.searchParams.set('per_page', String(perPage));
		return `${url.protocol}//${url.host}${next.pathname}${next.search}`;
	};
	const last = Math.max(1, Math.ceil(items.length / perPage));
	if (pageNo < last) links.push(`<${at(pageNo + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
	json(res, 200, wrap(slice), links.length ? { link: links.join(', ') } : {});
}

export function apiRoutes(fake: FakeGithub): [string, string, Handler][] {
	const s = fake.state;
	const userOf = (req: IncomingMessage) => {
		const token = bearer(req);
		const id = token ? s.userTokens.get(token) : undefined;
		return id === undefined ? null : (s.users.get(id) ?? null);
	};
	return [
		// --- App manifest flow (docs: "Registering a GitHub App from a manifest") -------------------
		['POST', '/settings/apps/new', manifestPage(fake, null)],
		[
			'POST',
			'/organizations/:org/settings/apps/new',
			(req, res, p, url) => manifestPage(fake, p.org)(req, res, p, url)
		],
		[
			'POST',
			`${API}/app-manifests/:code/conversions`,
			(_req, res, p) => {
				const entry = s.manifests.get(p.code);
				if (!entry) return json(res, 404, { message: 'Not Found' });
				s.manifests.delete(p.code);
				s.setupUrl = (entry.manifest.setup_url as string) ?? null;
				const a = s.app;
				json(res, 201, {
					id: a.id,
					slug: a.slug,
					node_id: 'A_1',
					name: (entry.manifest.name as string) ?? a.name,
					owner: {
						login: entry.owner ?? 'octocat',
						id: 1,
						type: entry.owner ? 'Organization' : 'User'
					},
					html_url: `${fake.url}/apps/${a.slug}`,
					client_id: a.clientId,
					client_secret: a.clientSecret,
					webhook_secret: a.webhookSecret,
					pem: a.privateKey,
					permissions: entry.manifest.default_permissions ?? {},
					events: entry.manifest.default_events ?? []
				});
			}
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
		[
			'GET',
			`${API}/user`,
			(req, res) => {
				const u = userOf(req);
				if (!u) return unauthorized(res);
				const primary = u.emails.find((e) => e.primary);
				json(res, 200, {
					login: u.login,
					id: u.id,
					name: u.name,
					email: primary?.email ?? null,
					type: 'User'
				});
			}
		],
		[
			'GET',
			`${API}/user/emails`,
			(req, res) => {
				const u = userOf(req);
				if (!u) return unauthorized(res);
				json(
					res,
					200,
					u.emails.map((e) => ({ ...e, visibility: e.primary ? 'private' : null }))
				);
			}
		],
		[
			'GET',
			`${API}/user/installations`,
			(req, res, _p, url) => {
				const u = userOf(req);
				if (!u) return unauthorized(res);
				const list = u.installationIds
					.filter((i) => s.installations.has(i))
					.map((i) => installationJson(fake, i));
				page(res, url, list, (items) => ({ total_count: list.length, installations: items }));
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
		],
		// --- App (JWT) ---------------------------------------------------------------------------------
		[
			'GET',
			`${API}/app/installations/:id`,
			(req, res, p) => {
				if (!validJwt(fake, bearer(req))) return unauthorized(res);
				if (!s.installations.has(Number(p.id))) return json(res, 404, { message: 'Not Found' });
				json(res, 200, installationJson(fake, Number(p.id)));
			}
		],
		[
			'POST',
			`${API}/app/installations/:id/access_tokens`,
			(req, res, p) => {
				if (!validJwt(fake, bearer(req))) return unauthorized(res);
				const inst = s.installations.get(Number(p.id));
				if (!inst) return json(res, 404, { message: 'Not Found' });
				if (inst.suspended)
					return json(res, 403, { message: 'This installation has been suspended' });
				const body = (req.body ?? {}) as {
					repository_ids?: number[];
					permissions?: Record<string, string>;
				};
				const ids = body.repository_ids ?? null;
				if (ids && ids.some((rid) => !inst.repos.some((r) => r.id === rid))) {
					return json(res, 422, {
						message:
							'There is at least one repository that does not exist or is not accessible to the parent installation.'
					});
				}
				const token = `ghs_${randomBytes(18).toString('hex')}`;
				const expiresAt = Date.now() + 3600_000;
				s.installationTokens.set(token, {
					token,
					installationId: inst.id,
					repositoryIds: ids,
					permissions: body.permissions ?? null,
					expiresAt
				});
				json(res, 201, {
					token,
					expires_at: new Date(expiresAt).toISOString().replace(/\.\d+Z$/, 'Z'),
					permissions: body.permissions ?? {
						contents: 'read',
						metadata: 'read',
						statuses: 'write',
						deployments: 'write',
						pull_requests: 'write',
						checks: 'write'
					},
					repository_selection: ids ? 'selected' : 'all'
				});
			}
		],
		// --- Installation token ------------------------------------------------------------------------
		[
			'GET',
			`${API}/installation/repositories`,
			(req, res, _p, url) => {
				const t = installationToken(fake, req);
				if (!t) return unauthorized(res);
				const inst = s.installations.get(t.installationId)!;
				const repos = inst.repos
					.filter((r) => !t.repositoryIds || t.repositoryIds.includes(r.id))
					.map((r) => repoJson(fake, r, inst.account));
				page(res, url, repos, (items) => ({
					total_count: repos.length,
					repository_selection: 'selected',
					repositories: items
				}));
			}
		],
		[
			'POST',
			`${API}/repos/:owner/:repo/statuses/:sha`,
			repoCall(fake, (req, res, p) => {
				const b = req.body as Record<string, string>;
				json(res, 201, {
					id: s.nextId(),
					state: b.state,
					target_url: b.target_url ?? null,
					description: b.description ?? null,
					context: b.context ?? 'default',
					sha: p.sha
				});
			})
		],
		[
			'POST',
			`${API}/repos/:owner/:repo/deployments`,
			repoCall(fake, (req, res) => {
				const b = req.body as Record<string, unknown>;
				json(res, 201, {
					id: s.nextId(),
					ref: b.ref,
					sha: b.ref,
					environment: b.environment,
					transient_environment: b.transient_environment ?? false,
					production_environment: b.production_environment ?? false,
					payload: b.payload ?? {}
				});
			})
		],
		[
			'POST',
			`${API}/repos/:owner/:repo/deployments/:id/statuses`,
			repoCall(fake, (req, res, p) => {
				const b = req.body as Record<string, unknown>;
				json(res, 201, {
					id: s.nextId(),
					state: b.state,
					environment_url: b.environment_url ?? '',
					log_url: b.log_url ?? '',
					deployment_url: `${fake.apiUrl}/repos/${p.owner}/${p.repo}/deployments/${p.id}`
				});
			})
		],
		[
			'GET',
			`${API}/repos/:owner/:repo/issues/:number/comments`,
			repoCall(fake, (_req, res, p, url) => {
				const repo = `${p.owner}/${p.repo}`.toLowerCase();
				const list = s.comments
					.filter((c) => c.repo === repo && c.issue === Number(p.number))
					.map((c) => ({
						id: c.id,
						body: c.body,
						user: { login: `${s.app.slug}[bot]`, type: 'Bot' }
					}));
				page(res, url, list, (items) => items);
			})
		],
		[
			'POST',
			`${API}/repos/:owner/:repo/issues/:number/comments`,
			repoCall(fake, (req, res, p) => {
				const c = {
					id: s.nextId(),
					repo: `${p.owner}/${p.repo}`.toLowerCase(),
					issue: Number(p.number),
					body: (req.body as { body: string }).body
				};
				s.comments.push(c);
				json(res, 201, {
					id: c.id,
					body: c.body,
					html_url: `${fake.url}/${p.owner}/${p.repo}/pull/${p.number}#issuecomment-${c.id}`
				});
			})
		],
		[
			'PATCH',
			`${API}/repos/:owner/:repo/issues/comments/:id`,
			repoCall(fake, (req, res, p) => {
				const c = s.comments.find((x) => x.id === Number(p.id));
				if (!c) return json(res, 404, { message: 'Not Found' });
				c.body = (req.body as { body: string }).body;
				json(res, 200, { id: c.id, body: c.body });
			})
		]
	];
}

/** A repository call: needs an installation token that covers the repository. */
function repoCall(fake: FakeGithub, handler: Handler): Handler {
	return (req, res, p, url) => {
		const t = installationToken(fake, req);
		if (!t) return unauthorized(res);
		const found = findRepo(fake, p.owner, p.repo);
		if (
			!found ||
			found.inst.id !== t.installationId ||
			(t.repositoryIds && !t.repositoryIds.includes(found.repo.id))
		) {
			return json(res, 404, { message: 'Not Found' });
		}
		return handler(req, res, p, url);
	};
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
