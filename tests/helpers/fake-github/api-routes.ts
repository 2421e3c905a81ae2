import { randomBytes } from 'node:crypto';
import {
	API,
	bearer,
	installationJson,
	installationToken,
	page,
	repoCall,
	repoJson,
	unauthorized,
	userOf,
	validJwt
} from './routes-common.ts';
import { json, type FakeGithub, type Handler } from './server.ts';

/** GitHub's REST API (under /api/v3): the calls Slipway makes, each with its credential check. */
export function apiRoutes(fake: FakeGithub): [string, string, Handler][] {
	const s = fake.state;
	return [
		// --- App manifest flow (docs: "Registering a GitHub App from a manifest") -------------------
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
		// --- User token (sign in with GitHub) ---------------------------------------------------------
		[
			'GET',
			`${API}/user`,
			(req, res) => {
				const u = userOf(fake, req);
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
				const u = userOf(fake, req);
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
				const u = userOf(fake, req);
				if (!u) return unauthorized(res);
				const list = u.installationIds
					.filter((i) => s.installations.has(i))
					.map((i) => installationJson(fake, i));
				page(res, url, list, (items) => ({ total_count: list.length, installations: items }));
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
