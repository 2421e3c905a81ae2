// Unknown hosts under the deploy domain, through a real Caddy and the built web server: the
// "deployment not found" page (404), the dashboard's /not-found page that knows the visitor, and
// the on-demand TLS `ask` endpoint. Needs `npm run build`.
import { request } from 'node:http';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliases, deployments } from '../../src/lib/server/db/schema/index.ts';
import { syncRoutes } from '../../src/lib/server/proxy/sync.ts';
import { startTestCaddy, type TestCaddy } from '../helpers/caddy.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { createGitRepo, removeGitRepos, sampleApps } from '../helpers/git-repo.ts';
import { startWeb, type RunningProcess } from '../helpers/server.ts';
import { makeUser, testConfig } from '../helpers/world.ts';

type Reply = {
	status: number;
	body: string;
	headers: Record<string, string | string[] | undefined>;
};

/** One request on a fresh connection to 127.0.0.1:port with the given Host and headers. */
function send(
	port: number,
	args: { host: string; path?: string; method?: string; headers?: Record<string, string> }
): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port,
				path: args.path ?? '/',
				method: args.method ?? 'GET',
				agent: false,
				headers: { host: args.host, ...args.headers }
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (c) => (body += c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.end();
	});
}

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let caddy: TestCaddy;
let web: RunningProcess;
let member: Awaited<ReturnType<typeof makeUser>>;
let outsider: Awaited<ReturnType<typeof makeUser>>;
let projectSlug: string;
let webPort: number;

beforeAll(async () => {
	t = await createTestDatabase('not_found');
	member = await makeUser(t.db, 'Member');
	outsider = await makeUser(t.db, 'Outsider');
	const repo = await createGitRepo({ files: sampleApps.node });
	const project = await member.caller.projects.create({
		teamSlug: member.team.slug,
		name: 'Shop Front',
		repoUrl: repo.path
	});
	projectSlug = project.slug;
	// A "running" deployment with a production alias: the route table serves shop-front.localhost.
	const [d] = await t.db
		.insert(deployments)
		.values({
			projectId: project.id,
			branch: 'main',
			trigger: 'manual',
			state: 'ready',
			configSnapshot: {},
			containerId: 'not-a-real-container',
			hostPort: 9
		})
		.returning();
	// Project creation made the production alias; point it at the deployment.
	await t.db
		.update(aliases)
		.set({ deploymentId: d.id })
		.where(and(eq(aliases.projectId, project.id), eq(aliases.kind, 'production')));

	caddy = await startTestCaddy();
	web = await startWeb(t.url, {
		SLIPWAY_ALLOW_LOCAL_GIT: '1',
		// The dashboard's public origin is Caddy's, as scripts/up.sh sets it.
		ORIGIN: `http://localhost:${caddy.httpPort}`
	});
	webPort = Number(new URL(web.url).port);
	// The test process plays the worker: it pushes the table to its own Caddy.
	const pushed = await syncRoutes(
		t.db,
		{ ...testConfig, ...caddy.cfg, SLIPWAY_WEB_UPSTREAM: `127.0.0.1:${webPort}` },
		{ force: true }
	);
	expect(pushed.routes).toBeGreaterThan(0);
});
afterAll(async () => {
	await web?.stop();
	await caddy?.stop();
	await removeGitRepos();
	await t?.drop();
});

const viaCaddy = (args: Parameters<typeof send>[1]) =>
	send(caddy.httpPort, { ...args, host: `${args.host}:${caddy.httpPort}` });
const cookie = (token: string) => ({ cookie: `slipway_session=${token}` });

describe('an unknown host through Caddy', () => {
	it('answers 404 with the "deployment not found" page naming the host', async () => {
		const res = await viaCaddy({ host: 'nope.localhost', path: '/some/page?x=1' });
		expect(res.status).toBe(404);
		expect(res.headers['content-type']).toMatch(/text\/html/);
		expect(res.body).toContain('Deployment not found');
		expect(res.body).toContain('nope.localhost');
		expect(res.body).toContain('the project renamed');
		expect(res.body).toContain(
			`href="http://localhost:${caddy.httpPort}/not-found?host=nope.localhost"`
		);
		expect(res.body).toContain('Find it in Slipway');
		// No script: on an unknown host nothing may depend on JavaScript.
		expect(res.body).not.toMatch(/<script[^>]*type="module"/);
	});

	it('loads its stylesheet from the unknown host itself', async () => {
		const page = await viaCaddy({ host: 'nope.localhost' });
		const css = /href="(\/_app\/immutable\/assets\/[^"]+\.css)"/.exec(page.body)?.[1];
		expect(css, 'stylesheet link').toBeTruthy();
		const res = await viaCaddy({ host: 'nope.localhost', path: css! });
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toMatch(/text\/css/);
	});

	it('answers 404 to other methods too', async () => {
		const res = await viaCaddy({
			host: 'nope.localhost',
			path: '/api/thing',
			method: 'POST',
			headers: { 'content-type': 'application/json' }
		});
		expect(res.status).toBe(404);
		expect(res.body).toMatch(/No deployment serves this hostname/);
	});

	it('escapes the host it shows', async () => {
		// A forwarded host from a trusted peer (loopback), straight to the web server.
		const res = await send(webPort, {
			host: `127.0.0.1:${webPort}`,
			path: '/_slipway/not-found',
			headers: { 'x-forwarded-host': '<b>evil</b>.localhost' }
		});
		expect(res.status).toBe(404);
		expect(res.body).not.toContain('<b>evil</b>');
		expect(res.body).toContain('&lt;b>evil&lt;/b>.localhost');
	});

	it('keeps serving the dashboard and known app hosts as before', async () => {
		expect((await viaCaddy({ host: 'localhost', path: '/healthz' })).status).toBe(200);
		expect((await viaCaddy({ host: 'localhost', path: '/login' })).body).toContain('Log in');
	});
});

describe('the dashboard page behind "Find it in Slipway"', () => {
	const path = (host: string) => `/not-found?host=${encodeURIComponent(host)}`;

	it('shows a member the project the host belongs to', async () => {
		for (const host of [
			`${projectSlug}-branch-feature-x.localhost`,
			`${projectSlug}-pr-12.localhost`,
			`${projectSlug}.localhost`
		]) {
			const res = await viaCaddy({
				host: 'localhost',
				path: path(host),
				headers: cookie(member.token)
			});
			expect(res.status, host).toBe(200);
			expect(res.body).toContain(host);
			expect(res.body).toContain('Shop Front');
			expect(res.body).toContain(`href="/${member.team.slug}"`);
		}
	});

	it('shows an outsider only the generic message', async () => {
		const res = await viaCaddy({
			host: 'localhost',
			path: path(`${projectSlug}-pr-12.localhost`),
			headers: cookie(outsider.token)
		});
		expect(res.status).toBe(200);
		expect(res.body).toContain('None of your projects uses this hostname');
		expect(res.body).not.toContain('Shop Front');
		expect(res.body).not.toContain(member.team.slug);
	});

	it('shows a member the generic message for a host of no project of theirs', async () => {
		const res = await viaCaddy({
			host: 'localhost',
			path: path('nope.localhost'),
			headers: cookie(member.token)
		});
		expect(res.body).toContain('None of your projects uses this hostname');
		expect(res.body).not.toContain('Shop Front');
	});

	it('sends a visitor without a session to the login page first', async () => {
		const res = await viaCaddy({ host: 'localhost', path: path('nope.localhost') });
		expect(res.status).toBe(303);
		expect(res.headers.location).toBe(
			`/login?redirectTo=${encodeURIComponent('/not-found?host=nope.localhost')}`
		);
	});
});

describe('/api/caddy/ask (on-demand TLS permission)', () => {
	const ask = (domain: string, headers: Record<string, string> = {}) =>
		send(webPort, {
			host: `127.0.0.1:${webPort}`,
			path: `/api/caddy/ask?domain=${encodeURIComponent(domain)}`,
			headers
		});

	it('approves the dashboard and hosts of the route table', async () => {
		expect((await ask('localhost')).status).toBe(200);
		expect((await ask(`${projectSlug}.localhost`)).status).toBe(200);
		expect((await ask(`${projectSlug.toUpperCase()}.LOCALHOST`)).status).toBe(200);
	});

	it('denies hosts nobody serves, and nonsense', async () => {
		expect((await ask('nope.localhost')).status).toBe(404);
		expect((await ask(`${projectSlug}-pr-99.localhost`)).status).toBe(404);
		expect((await ask('example.com')).status).toBe(404);
		expect((await ask('')).status).toBe(400);
		expect((await ask('a b/../c')).status).toBe(400);
	});

	it('does not answer requests relayed by Caddy from the internet', async () => {
		expect((await ask('localhost', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(403);
		const relayed = await viaCaddy({ host: 'localhost', path: '/api/caddy/ask?domain=localhost' });
		expect(relayed.status).toBe(403);
	});
});
