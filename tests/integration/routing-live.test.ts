import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { deployments, environments, projects } from '../../src/lib/server/db/schema/index.ts';
import { removeProjectResources } from '../../src/lib/server/deployments/cleanup.ts';
import { setEnvVar } from '../../src/lib/server/env-vars/store.ts';
import { startTestCaddy, type TestCaddy } from '../helpers/caddy.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { projectFromFixture, trustHostCertificates, waitFor } from '../helpers/deploy.ts';
import { startLoad } from '../helpers/load.ts';
import { served, setRetention, type Served } from '../helpers/routing.ts';
import { startWorker, type RunningProcess } from '../helpers/server.ts';
import { makeUser, testConfig, testKeyring } from '../helpers/world.ts';

/**
 * The worker as users run it (its own process, graphile queue, route sync loop) in front of a
 * real Caddy: zero-downtime switches under load, rollback, promote, and Caddy restarts.
 */
let t: Awaited<ReturnType<typeof createTestDatabase>>;
let owner: Awaited<ReturnType<typeof makeUser>>;
let caddy: TestCaddy;
let worker: RunningProcess | undefined;
let project: Awaited<ReturnType<typeof projectFromFixture>>['project'];
let repo: Awaited<ReturnType<typeof projectFromFixture>>['repo'];
let scope: { teamSlug: string; projectSlug: string };

beforeAll(async () => {
	t = await createTestDatabase('routing_live');
	owner = await makeUser(t.db, 'Live');
	await trustHostCertificates(t.db);
	await setRetention(t.db, { drainSeconds: 30, imageRetention: 10 });
	caddy = await startTestCaddy();
	({ project, repo } = await projectFromFixture({
		db: t.db,
		teamId: owner.team.id,
		userId: owner.user.id,
		app: 'versioned',
		settings: { name: 'live' }
	}));
	scope = { teamSlug: owner.team.slug, projectSlug: project.slug };
	worker = await startWorker(t.url, {
		...Object.fromEntries(Object.entries(caddy.cfg).map(([k, v]) => [k, String(v)])),
		SLIPWAY_ALLOW_LOCAL_GIT: '1',
		SLIPWAY_WORK_DIR: '/tmp/slipway-test',
		HEALTH_CHECK_TIMEOUT_SECONDS: '30'
	});
}, 120_000);
afterAll(async () => {
	await worker?.stop().catch(() => {});
	await removeProjectResources({ projectId: project.id, projectSlug: project.slug }).catch(
		() => {}
	);
	await caddy?.stop();
	await t?.drop();
});

const prodHost = () => `${project.slug}.localhost`;

async function deployAndWait(branch?: string) {
	const created = await owner.caller.deployments.create({ ...scope, branch });
	return waitReady(created.id);
}

async function waitReady(id: string) {
	const d = await waitFor(
		() => owner.caller.deployments.get({ teamSlug: scope.teamSlug, deploymentId: id }),
		(d) => ['ready', 'failed', 'canceled', 'skipped'].includes(d.state),
		180_000
	);
	if (d.state !== 'ready') {
		const logs = await owner.caller.deployments.logs({
			teamSlug: scope.teamSlug,
			deploymentId: id
		});
		const text = logs.map((l) => l.line).join('\n');
		throw new Error(`${d.state}: ${d.failureReason}\n${text}\n${worker?.output().slice(-3000)}`);
	}
	return d;
}

describe('live routing with the worker process', { timeout: 600_000 }, () => {
	it('serves production without a failed request through 5 redeploys and a rollback at ~200 req/s', async () => {
		const first = await deployAndWait();
		expect(await served(caddy, prodHost())).toMatchObject({ deployment: first.id });
		// URLs come from the caller's config (the suite's shared Caddy port), not this test's Caddy.
		const port = testConfig.SLIPWAY_PROXY_PORT;
		const id7 = first.id.replace(/-/g, '').slice(0, 7);
		expect(first.url).toBe(`http://${project.slug}-id-${id7}.localhost:${port}`);
		const aliases = await owner.caller.projects.aliases(scope);
		expect(aliases.map((a) => [a.kind, a.url, a.deploymentId])).toEqual(
			expect.arrayContaining([
				['production', `http://${project.slug}.localhost:${port}`, first.id],
				['branch', `http://${project.slug}-branch-main.localhost:${port}`, first.id]
			])
		);

		const load = startLoad({ port: caddy.httpPort, host: prodHost(), rate: 200 });
		const ids = [first.id];
		for (let i = 0; i < 5; i++) {
			const redeployed = await owner.caller.deployments.redeploy({
				teamSlug: scope.teamSlug,
				deploymentId: ids.at(-1)!
			});
			ids.push((await waitReady(redeployed.id)).id);
			await waitFor(
				() => served(caddy, prodHost()),
				(s) => (s as Served).deployment === redeployed.id,
				5_000
			);
		}
		// Roll back to the one before: its container still runs, so this is only a switch.
		const target = ids.at(-2)!;
		const asked = performance.now();
		const answer = await owner.caller.deployments.rollback({
			teamSlug: scope.teamSlug,
			deploymentId: target
		});
		await waitFor(
			() => served(caddy, prodHost()),
			(s) => (s as Served).deployment === target,
			5_000
		);
		const rollbackMs = performance.now() - asked;
		await new Promise((r) => setTimeout(r, 2000));
		const report = await load.stop();

		console.log(
			`load: ${report.sent} sent, ${report.ok} ok, ${report.failed} failed, ${report.status5xx} 5xx, ${report.resets} resets retried; rollback served in ${Math.round(rollbackMs)} ms`
		);
		expect(report.sent).toBeGreaterThan(1000);
		expect(report.errors.slice(0, 5)).toEqual([]);
		expect(report.failed).toBe(0);
		expect(report.status5xx).toBe(0);
		expect(rollbackMs).toBeLessThan(1000);
		// Every deployment served production in turn, the rollback target last.
		const seen = new Set(report.bodies.map(([, b]) => (JSON.parse(b) as Served).deployment));
		expect([...ids].filter((id) => !seen.has(id))).toEqual([]);
		expect(JSON.parse(report.bodies.at(-1)![1])).toMatchObject({ deployment: target });

		expect(answer).toMatchObject({ productionAutoDeployPaused: true });
		expect(answer.message).toMatch(/auto-deploy of production is paused/i);
		const [row] = await t.db.select().from(projects).where(eq(projects.id, project.id));
		expect(row.productionAutoDeployPausedAt).not.toBeNull();
	});

	it('keeps production on the rollback while paused: a deploy hook push ends skipped, saying why', async () => {
		const { createDeployment } = await import('../../src/lib/server/deployments/create.ts');
		const skipped = await createDeployment(
			{ db: t.db, keyring: testKeyring },
			{ projectId: project.id, trigger: 'deploy_hook' }
		);
		expect(skipped.state).toBe('skipped');
		expect(skipped.failureReason).toMatch(/production auto-deploy is paused/i);
		await owner.caller.projects.resumeProductionAutoDeploy(scope);
		const [row] = await t.db.select().from(projects).where(eq(projects.id, project.id));
		expect(row.productionAutoDeployPausedAt).toBeNull();
	});

	it('promotes a preview to production: same image, production variables, no build', async () => {
		const [production] = await t.db
			.select()
			.from(environments)
			.where(and(eq(environments.projectId, project.id), eq(environments.isProduction, true)));
		const envVar = { db: t.db, keyring: testKeyring, projectId: project.id, key: 'GREETING' };
		await setEnvVar({
			...envVar,
			scope: { environmentId: production.id, branch: null },
			value: 'production value',
			isSecret: false,
			isBuildTime: false
		});
		await setEnvVar({
			...envVar,
			scope: { environmentId: null, branch: 'feature' },
			value: 'preview value',
			isSecret: false,
			isBuildTime: false
		});
		await repo.commit({ files: { VERSION: 'preview\n' }, branch: 'feature' });
		const preview = await deployAndWait('feature');
		const previewAnswer = (await served(
			caddy,
			`${project.slug}-branch-feature.localhost`
		)) as Served;
		expect(previewAnswer).toMatchObject({
			version: 'preview',
			deployment: preview.id,
			greeting: 'preview value'
		});

		const promoted = await owner.caller.deployments.promote({
			teamSlug: scope.teamSlug,
			deploymentId: preview.id
		});
		expect(promoted).toMatchObject({ trigger: 'promote', sourceDeploymentId: preview.id });
		const ready = await waitReady(promoted.id);
		const [source] = await t.db.select().from(deployments).where(eq(deployments.id, preview.id));
		expect(ready.image).toBe(source.image);
		const logs = await owner.caller.deployments.logs({
			teamSlug: scope.teamSlug,
			deploymentId: promoted.id
		});
		expect(JSON.stringify(logs)).toMatch(/reusing its image .* \(no build\)/);
		expect(await served(caddy, prodHost())).toMatchObject({
			version: 'preview',
			deployment: promoted.id,
			greeting: 'production value'
		});
		// The preview keeps its own URL.
		expect(await served(caddy, `${project.slug}-branch-feature.localhost`)).toMatchObject({
			deployment: preview.id
		});
	});

	it('puts the routes back within 5 s after Caddy is killed and restarted without its config', async () => {
		const before = (await served(caddy, prodHost())) as Served;
		await caddy.kill();
		const restarted = performance.now();
		await caddy.start();
		const back = await waitFor(
			() => served(caddy, prodHost()).catch(() => ({ status: 0 })),
			(s) => (s as Served).deployment === before.deployment,
			10_000
		);
		const ms = performance.now() - restarted;
		console.log(`routes back ${Math.round(ms)} ms after Caddy restarted`);
		expect(back).toMatchObject({ deployment: before.deployment });
		expect(ms).toBeLessThan(5000);
	});
});
