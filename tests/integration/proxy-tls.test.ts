// Production mode through a real Caddy: automatic HTTPS for the dashboard (APP_HOSTNAME) and
// on-demand certificates for app hosts, gated by the web app's /api/caddy/ask. Caddy's internal
// CA stands in for ACME; the test trusts its root (GET <admin>/pki/ca/local). Needs `npm run build`.
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliases, deployments } from '../../src/lib/server/db/schema/index.ts';
import { syncRoutes } from '../../src/lib/server/proxy/sync.ts';
import { startTestCaddy, type TestCaddy } from '../helpers/caddy.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { createGitRepo, removeGitRepos, sampleApps } from '../helpers/git-repo.ts';
import { freePort, startWeb, type RunningProcess } from '../helpers/server.ts';
import { makeUser, testConfig } from '../helpers/world.ts';

const APP_HOSTNAME = 'slipway.test';
const DEPLOY_DOMAIN = 'apps.test';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let caddy: TestCaddy;
let web: RunningProcess;
let app: Server;
let httpsPort: number;
let httpPort: number;
let ca: string;
let appHost: string;

type Reply = { status: number; body: string; headers: Record<string, unknown> };

/** GET https://<servername>:<https port><path>, connecting to 127.0.0.1 and trusting only `ca`. */
function getTls(servername: string, path = '/'): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const req = httpsRequest(
			{
				host: '127.0.0.1',
				port: httpsPort,
				path,
				servername,
				ca,
				agent: false,
				headers: { host: `${servername}:${httpsPort}` },
				timeout: 10_000
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (c) => (body += c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
				res.on('error', reject);
			}
		);
		req.on('timeout', () => req.destroy(new Error('timed out')));
		req.on('error', reject);
		req.end();
	});
}

function getPlain(host: string, path = '/'): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			{ host: '127.0.0.1', port: httpPort, path, agent: false, headers: { host } },
			(res) => {
				res.resume();
				res.on('end', () =>
					resolve({ status: res.statusCode ?? 0, body: '', headers: res.headers })
				);
			}
		);
		req.on('error', reject);
		req.end();
	});
}

/** Certificates are issued in the background after a load: retry until the handshake works. */
async function eventually(servername: string, path = '/', ms = 20_000): Promise<Reply> {
	const deadline = Date.now() + ms;
	for (;;) {
		try {
			return await getTls(servername, path);
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await new Promise((r) => setTimeout(r, 250));
		}
	}
}

beforeAll(async () => {
	t = await createTestDatabase('proxy_tls');
	const owner = await makeUser(t.db, 'Tls Owner');
	const repo = await createGitRepo({ files: sampleApps.node });
	const project = await owner.caller.projects.create({
		teamSlug: owner.team.slug,
		name: 'Tls App',
		repoUrl: repo.path
	});

	// The "app": any local HTTP server, routed like a running deployment's published port.
	app = createServer((req, res) => res.end(`app says hi to ${req.headers.host}`));
	await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
	const appPort = (app.address() as { port: number }).port;
	const [d] = await t.db
		.insert(deployments)
		.values({
			projectId: project.id,
			branch: 'main',
			trigger: 'manual',
			state: 'ready',
			configSnapshot: {},
			containerId: 'not-a-real-container',
			hostPort: appPort
		})
		.returning();
	await t.db
		.update(aliases)
		.set({ deploymentId: d.id })
		.where(and(eq(aliases.projectId, project.id), eq(aliases.kind, 'production')));
	appHost = `${project.slug}.${DEPLOY_DOMAIN}`;

	caddy = await startTestCaddy();
	httpPort = await freePort();
	httpsPort = await freePort();
	const env = {
		SLIPWAY_ALLOW_LOCAL_GIT: '1',
		APP_HOSTNAME,
		SLIPWAY_DEPLOY_DOMAIN: DEPLOY_DOMAIN,
		SLIPWAY_PROXY_MODE: 'production',
		SLIPWAY_PROXY_PORT: String(httpPort),
		SLIPWAY_PROXY_HTTPS_PORT: String(httpsPort),
		ORIGIN: `https://${APP_HOSTNAME}:${httpsPort}`
	};
	web = await startWeb(t.url, env);
	const cfg = {
		...testConfig,
		...caddy.cfg,
		APP_HOSTNAME,
		SLIPWAY_DEPLOY_DOMAIN: DEPLOY_DOMAIN,
		SLIPWAY_PROXY_MODE: 'production' as const,
		SLIPWAY_PROXY_PORT: httpPort,
		SLIPWAY_PROXY_HTTPS_PORT: httpsPort,
		SLIPWAY_TLS_ISSUER: 'internal' as const,
		SLIPWAY_WEB_UPSTREAM: new URL(web.url).host,
		CADDY_VERSION: '2.6'
	};
	await syncRoutes(t.db, cfg, { force: true });
	const root = await fetch(`${caddy.adminUrl}/pki/ca/local`).then(
		(r) => r.json() as Promise<{ root_certificate: string }>
	);
	ca = root.root_certificate;
	expect(ca).toMatch(/BEGIN CERTIFICATE/);
}, 90_000);

afterAll(async () => {
	await web?.stop();
	await caddy?.stop();
	await new Promise((r) => (app ? app.close(r) : r(null)));
	await removeGitRepos();
	await t?.drop();
});

describe('production mode (internal CA)', () => {
	it('serves the dashboard over HTTPS with a certificate for APP_HOSTNAME', async () => {
		const res = await eventually(APP_HOSTNAME, '/login');
		expect(res.status).toBe(200);
		expect(res.body).toContain('Log in');
	});

	it('redirects plain HTTP to HTTPS', async () => {
		const res = await getPlain(APP_HOSTNAME, '/login');
		expect(res.status).toBe(308);
		expect(res.headers.location).toBe(`https://${APP_HOSTNAME}:${httpsPort}/login`);
		const app = await getPlain(appHost, '/x?y=1');
		expect(app.status).toBe(308);
		expect(app.headers.location).toBe(`https://${appHost}:${httpsPort}/x?y=1`);
	});

	it('issues a certificate on demand for a host the route table serves', async () => {
		const res = await eventually(appHost);
		expect(res.status).toBe(200);
		expect(res.body).toBe(`app says hi to ${appHost}:${httpsPort}`);
	});

	it('refuses the TLS handshake for an unknown host (the ask endpoint says no)', async () => {
		await expect(getTls(`nope.${DEPLOY_DOMAIN}`)).rejects.toThrow();
		// still no, after Caddy had time to ask
		await new Promise((r) => setTimeout(r, 500));
		await expect(getTls(`nope.${DEPLOY_DOMAIN}`)).rejects.toThrow();
	});
});
