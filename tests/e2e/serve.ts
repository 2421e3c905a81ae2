// The instance for the Playwright suite: the built app (`node build`) on a fixed port against a
// database of its own (fresh from the migrated template, dropped on exit), a real worker process
// and a real Caddy, so deployments made in the browser build, go live and answer at their URLs.
// Specs find the database and Caddy's port in test-results/e2e-instance-<port>.json (see e2e/instance.ts).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, prepareTemplate } from '../helpers/db.ts';
import { projects } from '../../src/lib/server/db/schema/index.ts';
import { removeProjectResources } from '../../src/lib/server/deployments/cleanup.ts';
import { startTestCaddy } from '../helpers/caddy.ts';
import { trustHostCertificates } from '../helpers/deploy.ts';
import { startWorker, testEnv } from '../helpers/server.ts';

const PORT = Number(process.env.E2E_PORT ?? 4173);
const root = fileURLToPath(new URL('../..', import.meta.url));

const buildDir = process.env.E2E_BUILD_DIR ?? process.env.SLIPWAY_BUILD_DIR ?? 'build';
if (!existsSync(`${root}/${buildDir}/index.js`)) {
	console.error(`${buildDir}/ is missing: run \`npm run build\` before \`npx playwright test\`.`);
	process.exit(1);
}

await prepareTemplate();
const database = await createTestDatabase('e2e');
// Builds reach the npm registry through this machine's TLS-intercepting proxy.
await trustHostCertificates(database.db);
const caddy = await startTestCaddy();
const instance = {
	CADDY_ADMIN_URL: caddy.adminUrl,
	SLIPWAY_PROXY_PORT: String(caddy.httpPort),
	CADDY_VERSION: '2.6',
	SLIPWAY_WEB_UPSTREAM: `127.0.0.1:${PORT}`,
	SLIPWAY_ALLOW_LOCAL_GIT: '1',
	SLIPWAY_WORK_DIR: '/tmp/slipway-e2e',
	HEALTH_CHECK_TIMEOUT_SECONDS: '60'
};
const worker = await startWorker(database.url, instance);
mkdirSync(`${root}/test-results`, { recursive: true });
writeFileSync(
	`${root}/test-results/e2e-instance-${PORT}.json`,
	JSON.stringify({ databaseUrl: database.url, caddyHttpPort: caddy.httpPort })
);

const child = spawn(process.execPath, [buildDir], {
	cwd: root,
	stdio: 'inherit',
	env: testEnv(database.url, {
		PORT: String(PORT),
		HOST: '127.0.0.1',
		ORIGIN: `http://localhost:${PORT}`,
		...instance,
		// Every test signs up from 127.0.0.1; the login limit stays low enough to test its message.
		RATE_LIMIT_SIGNUP_PER_HOUR: '1000',
		RATE_LIMIT_LOGIN_PER_15_MIN: '10'
	})
});

let stopping = false;

async function stop(exitCode: number) {
	if (stopping) return;
	stopping = true;
	if (child.exitCode === null && child.signalCode === null) {
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(timer);
	}
	await worker.stop().catch(() => {});
	await caddy.stop().catch(() => {});
	// The apps the suite deployed: their containers, images and networks go with it (Docker has a
	// limited pool of network address ranges; leftovers from run after run exhaust it).
	try {
		const made = await database.db
			.select({ projectId: projects.id, projectSlug: projects.slug })
			.from(projects);
		for (const p of made) await removeProjectResources(p).catch(() => {});
	} catch (error) {
		console.error('could not remove the deployed apps:', error);
	}
	try {
		await database.drop();
	} catch (error) {
		console.error(`could not drop ${database.name}:`, error);
	}
	process.exit(exitCode);
}

process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
child.on('exit', (code, signal) => {
	if (!stopping) {
		console.error(`node build exited (${signal ?? code}) before the tests finished`);
		void stop(code ?? 1);
	}
});
