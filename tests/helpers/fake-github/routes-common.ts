import { createVerify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, type FakeGithub, type FakeRepo, type Handler } from './server.ts';

// What the fake's routes share: GitHub's credential checks, its JSON shapes and its paging.

/** Where the REST API lives, as on GitHub Enterprise Server. */
export const API = '/api/v3';

export function unauthorized(res: ServerResponse) {
	json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
}

export function bearer(req: IncomingMessage): string | null {
	const h = req.headers.authorization ?? '';
	const m = /^(?:token|bearer)\s+(\S+)$/i.exec(h);
	return m ? m[1] : null;
}

/** Checks an App JWT (RS256, signed with the App's private key, iss = app id, not expired). */
export function validJwt(fake: FakeGithub, token: string | null): boolean {
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

export function installationToken(fake: FakeGithub, req: IncomingMessage) {
	const token = bearer(req);
	const issued = token ? fake.state.installationTokens.get(token) : undefined;
	if (!issued || issued.expiresAt < Date.now()) return null;
	return issued;
}

export function repoJson(
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

export function installationJson(fake: FakeGithub, id: number) {
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
export function page<T>(res: ServerResponse, url: URL, items: T[], wrap: (items: T[]) => unknown) {
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

/** The user a user token (OAuth) belongs to, or null. */
export function userOf(fake: FakeGithub, req: IncomingMessage) {
	const token = bearer(req);
	const id = token ? fake.state.userTokens.get(token) : undefined;
	return id === undefined ? null : (fake.state.users.get(id) ?? null);
}

/** A repository call: needs an installation token that covers the repository. */
export function repoCall(fake: FakeGithub, handler: Handler): Handler {
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
