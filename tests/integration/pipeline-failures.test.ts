import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelDeployment } from '../../src/lib/server/deployments/actions.ts';
import { removeProjectResources } from '../../src/lib/server/deployments/cleanup.ts';
import { createDeployment } from '../../src/lib/server/deployments/create.ts';
import { runDeployment } from '../../src/lib/server/deployments/pipeline/run.ts';
import { inspectContainer } from '../../src/lib/server/docker/containers.ts';
import { createTestDatabase } from '../helpers/db.ts';
import {
	deployNow,
	pipelineDeps,
	projectFromFixture,
	readDeployment,
	trustHostCertificates,
	waitFor
} from '../helpers/deploy.ts';
import { makeUser, testKeyring } from '../helpers/world.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let owner: Awaited<ReturnType<typeof makeUser>>;
const projects: { projectId: string; projectSlug: string }[] = [];
let ctx: ReturnType<typeof pipelineDeps>;

beforeAll(async () => {
	t = await createTestDatabase('failures');
	owner = await makeUser(t.db, 'Breaker');
	await trustHostCertificates(t.db);
	ctx = pipelineDeps(t.db, { HEALTH_CHECK_TIMEOUT_SECONDS: 12 });
});
afterAll(async () => {
	ctx?.collector.stopAll();
	for (const p of projects) await removeProjectResources(p).catch(() => {});
	await t.drop();
});

async function project(app: string, settings = {}) {
	const { project } = await projectFromFixture({
		db: t.db,
		teamId: owner.team.id,
		userId: owner.user.id,
		app,
		settings
	});
	projects.push({ projectId: project.id, projectSlug: project.slug });
	return project;
}

describe('each failure has its own reason', { timeout: 300_000 }, () => {
	it('a syntax error at build: failed at build, with the last lines', async () => {
		const d = await deployNow(ctx.deps, (await project('node-syntax-error')).id);
		expect(d.state).toBe('failed');
		expect(d.failureStage).toBe('build');
		expect(d.failureReason).toMatch(/The build failed: a build step exited with code 1/);
		expect(d.failureReason).toMatch(/SyntaxError: missing \) after argument list/);
		expect(d.containerId).toBeNull();
	});

	it('an app that exits 1: failed at start with the exit code', async () => {
		const d = await deployNow(ctx.deps, (await project('node-exit-1')).id);
		expect(d.state, d.logText).toBe('failed');
		expect(d.failureStage).toBe('start');
		expect(d.failureReason).toMatch(/exited with code 1/);
		expect((await inspectContainer(d.containerId!)).exists).toBe(false);
	});

	it('an app that never listens: nothing listened on the port', async () => {
		const d = await deployNow(ctx.deps, (await project('node-no-listen')).id);
		expect(d.state).toBe('failed');
		expect(d.failureStage).toBe('probe');
		expect(d.failureReason).toMatch(/Nothing listened on port 8000 within 12 s/);
	});

	it('an app that allocates past its memory limit: killed for memory', async () => {
		const d = await deployNow(ctx.deps, (await project('node-oom', { memoryMb: 128 })).id);
		expect(d.state, d.logText).toBe('failed');
		expect(d.failureStage).toBe('start');
		expect(d.failureReason).toMatch(/more than its memory limit \(128 MB\)/);
	});

	it('a fork bomb is held by the PID limit and the host stays responsive', async () => {
		const p = await project('node-fork-bomb');
		const created = await createDeployment(
			{ db: t.db, keyring: testKeyring },
			{ projectId: p.id, trigger: 'manual' }
		);
		const running = runDeployment(ctx.deps, { deploymentId: created.id });
		const starting = await waitFor(
			() => readDeployment(t.db, created.id),
			(d) => d.state === 'starting' && !!d.containerId
		);
		await new Promise((r) => setTimeout(r, 4000));
		const pids = Number(
			execFileSync('docker', [
				'stats',
				'--no-stream',
				'--format',
				'{{.PIDs}}',
				starting.containerId!
			])
				.toString()
				.trim()
		);
		expect(pids).toBeGreaterThan(50);
		expect(pids).toBeLessThanOrEqual(256);
		// The host can still start processes while the bomb runs.
		expect(execFileSync('sh', ['-c', 'echo alive']).toString()).toBe('alive\n');
		await running;
		const d = await readDeployment(t.db, created.id);
		expect(d.state).toBe('failed');
		expect(d.failureStage).toBe('probe');
		expect((await inspectContainer(starting.containerId!)).exists).toBe(false);
	});
});

describe('cancel', { timeout: 300_000 }, () => {
	it('during the build: stops it, no image is run', async () => {
		// A build step that takes a while and that Docker's cache cannot skip (a cached build of
		// the same app, left by an earlier run on this machine, finished before the cancel came).
		const p = await project('node-hello', {
			buildCommand: `node build.js && sleep 60 && echo ${randomUUID()}`
		});
		const created = await createDeployment(
			{ db: t.db, keyring: testKeyring },
			{ projectId: p.id, trigger: 'manual' }
		);
		const running = runDeployment(ctx.deps, { deploymentId: created.id });
		await waitFor(
			() => readDeployment(t.db, created.id),
			(d) => d.state === 'building' && /Step 2\//.test(d.logText)
		);
		await cancelDeployment({ db: t.db, deployment: { id: created.id, state: 'building' } });
		await running;
		const d = await readDeployment(t.db, created.id);
		expect(d.state).toBe('canceled');
		expect(d.containerId).toBeNull();
		expect(d.logText).toMatch(/Deployment canceled/);
	});

	it('during start: removes the container', async () => {
		const p = await project('node-no-listen');
		const created = await createDeployment(
			{ db: t.db, keyring: testKeyring },
			{ projectId: p.id, trigger: 'manual' }
		);
		const running = runDeployment(ctx.deps, { deploymentId: created.id });
		const starting = await waitFor(
			() => readDeployment(t.db, created.id),
			(d) => d.state === 'starting' && !!d.containerId
		);
		await cancelDeployment({ db: t.db, deployment: { id: created.id, state: 'starting' } });
		await running;
		const d = await readDeployment(t.db, created.id);
		expect(d.state).toBe('canceled');
		expect((await inspectContainer(starting.containerId!)).exists).toBe(false);
	});
});
