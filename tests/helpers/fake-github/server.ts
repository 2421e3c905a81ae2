import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { apiRoutes } from './api-routes.ts';
import { serveGit } from './git-http.ts';
import { webRoutes } from './web-routes.ts';

/**
 * A stand-in for GitHub (github.com or an Enterprise Server: API under /api/v3) on 127.0.0.1.
 * It answers the calls Slipway makes with responses shaped like GitHub's documented examples,
 * checks the credentials on each (App JWT, installation token, user token), serves repositories
 * over Git's smart HTTP to installation tokens, and records every request for assertions.
 */
export type Recorded = {
	method: string;
	/** Path without the query, e.g. `/api/v3/repos/octo/app/statuses/<sha>`. */
	path: string;
	query: URLSearchParams;
	headers: IncomingMessage['headers'];
	body: unknown;
};

export type FakeRepo = {
	id: number;
	fullName: string;
	private: boolean;
	defaultBranch: string;
	/** Working tree of a local repository served at `<url>/<fullName>.git`. */
	gitPath?: string;
};

export type FakeInstallation = {
	id: number;
	account: { login: string; id: number; type: 'User' | 'Organization' };
	repos: FakeRepo[];
	suspended?: boolean;
};

export type FakeUser = {
	id: number;
	login: string;
	name: string;
	emails: { email: string; primary: boolean; verified: boolean }[];
	/** Installations this user can access (GET /user/installations). */
	installationIds: number[];
};

export type IssuedToken = {
	token: string;
	installationId: number;
	repositoryIds: number[] | null;
	permissions: Record<string, string> | null;
	expiresAt: number;
};

export type Comment = { id: number; repo: string; issue: number; body: string };

export type FakeState = {
	app: {
		id: number;
		slug: string;
		name: string;
		clientId: string;
		clientSecret: string;
		webhookSecret: string;
		privateKey: string;
		publicKey: string;
	};
	installations: Map<number, FakeInstallation>;
	users: Map<number, FakeUser>;
	/** The user GitHub's pages act as (the one "signed in" on github.com in the browser). */
	browserUserId: number | null;
	/** OAuth codes handed out by /login/oauth/authorize and install redirects → user id. */
	oauthCodes: Map<string, number>;
	userTokens: Map<string, number>;
	installationTokens: Map<string, IssuedToken>;
	/** Manifests posted to /settings/apps/new, by the code given back. */
	manifests: Map<string, { manifest: Record<string, unknown>; owner: string | null }>;
	comments: Comment[];
	/** What the install page does when visited: install this installation id and redirect. */
	nextInstall: number | null;
	/** The App's setup URL (from its manifest), where GitHub sends the user after installing. */
	setupUrl: string | null;
	nextId: () => number;
};

export type Handler = (
	req: IncomingMessage & { body: unknown; rawBody: Buffer },
	res: ServerResponse,
	params: Record<string, string>,
	url: URL
) => void | Promise<void>;

export type FakeGithub = {
	/** Web address (pages, OAuth, git): what Slipway's App row calls `webUrl`. */
	url: string;
	/** REST API base: `<url>/api/v3`, as on GitHub Enterprise Server. */
	apiUrl: string;
	state: FakeState;
	requests: Recorded[];
	/** Recorded API calls matching a method and a path pattern (`:param` segments, `*` rest). */
	calls: (method: string, pattern: string) => Recorded[];
	/** Adds or overrides a route (tests that need GitHub to fail, say). First match wins. */
	route: (method: string, pattern: string, handler: Handler) => void;
	addInstallation: (
		inst: Omit<FakeInstallation, 'repos'> & { repos?: FakeRepo[] }
	) => FakeInstallation;
	addUser: (user: Omit<FakeUser, 'installationIds'> & { installationIds?: number[] }) => FakeUser;
	close: () => Promise<void>;
};

type Route = { method: string; regex: RegExp; keys: string[]; handler: Handler };

export function compilePattern(pattern: string) {
	const keys: string[] = [];
	const source = pattern
		.split('/')
		.map((part) => {
			if (part === '*') return '(?<rest>.*)';
			if (part.startsWith(':')) {
				keys.push(part.slice(1));
				return `(?<${part.slice(1)}>[^/]+)`;
			}
			return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('/');
	return { regex: new RegExp(`^${source}$`), keys };
}

export function json(res: ServerResponse, status: number, body: unknown, headers = {}) {
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
	res.end(JSON.stringify(body));
}

export async function startFakeGithub(): Promise<FakeGithub> {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', {
		modulusLength: 2048,
		privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
		publicKeyEncoding: { type: 'spki', format: 'pem' }
	});
	let id = 1000;
	const state: FakeState = {
		app: {
			id: 4242,
			slug: 'slipway-test',
			name: 'Slipway Test',
			clientId: 'Iv1.' + randomBytes(8).toString('hex'),
			clientSecret: randomBytes(20).toString('hex'),
			webhookSecret: randomBytes(20).toString('hex'),
			privateKey,
			publicKey
		},
		installations: new Map(),
		users: new Map(),
		browserUserId: null,
		oauthCodes: new Map(),
		userTokens: new Map(),
		installationTokens: new Map(),
		manifests: new Map(),
		comments: [],
		nextInstall: null,
		setupUrl: null,
		nextId: () => ++id * 10 + randomInt(10)
	};
	const requests: Recorded[] = [];
	const routes: Route[] = [];
	const route = (method: string, pattern: string, handler: Handler) => {
		const { regex, keys } = compilePattern(pattern);
		routes.unshift({ method, regex, keys, handler });
	};

	const server = createServer(async (req, res) => {
		// The real host: Link headers (pagination) must point back at this server.
		const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'fake'}`);
		const chunks: Buffer[] = [];
		const isGit = /\.git\//.test(url.pathname);
		if (isGit) {
			requests.push({
				method: req.method!,
				path: url.pathname,
				query: url.searchParams,
				headers: req.headers,
				body: null
			});
			return serveGit(state, req, res, url);
		}
		for await (const c of req) chunks.push(c as Buffer);
		const rawBody = Buffer.concat(chunks);
		let body: unknown = null;
		const type = req.headers['content-type'] ?? '';
		if (rawBody.length > 0) {
			if (type.includes('json')) body = JSON.parse(rawBody.toString());
			else if (type.includes('x-www-form-urlencoded'))
				body = Object.fromEntries(new URLSearchParams(rawBody.toString()));
			else body = rawBody.toString();
		}
		requests.push({
			method: req.method!,
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			body
		});
		const r = Object.assign(req, { body, rawBody });
		for (const candidate of routes) {
			if (candidate.method !== req.method) continue;
			const m = candidate.regex.exec(url.pathname);
			if (!m) continue;
			try {
				await candidate.handler(r, res, { ...m.groups }, url);
			} catch (error) {
				json(res, 500, { message: (error as Error).message });
			}
			return;
		}
		json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	const url = `http://127.0.0.1:${port}`;

	const fake: FakeGithub = {
		url,
		apiUrl: `${url}/api/v3`,
		state,
		requests,
		calls: (method, pattern) => {
			const { regex } = compilePattern(pattern);
			return requests.filter((r) => r.method === method && regex.test(r.path));
		},
		route,
		addInstallation: (inst) => {
			const full = { repos: [], ...inst };
			state.installations.set(inst.id, full);
			return full;
		},
		addUser: (user) => {
			const full = { installationIds: [], ...user };
			state.users.set(user.id, full);
			return full;
		},
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
	for (const [method, pattern, handler] of [...webRoutes(fake), ...apiRoutes(fake)]) {
		route(method, pattern, handler);
	}
	return fake;
}
