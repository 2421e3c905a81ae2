import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeProjectResources } from '../../src/lib/server/deployments/cleanup.ts';
import { createDeployment } from '../../src/lib/server/deployments/create.ts';
import { inspectContainer } from '../../src/lib/server/docker/containers.ts';
import { updateProjectSettings } from '../../src/lib/server/projects/settings.ts';
import { createTestDatabase } from '../helpers/db.ts';
import {
	projectFromFixture,
	readDeployment,
	trustHostCertificates,
	waitFor
} from '../helpers/deploy.ts';
import { startWorker, type RunningProcess } from '../helpers/server.ts';
import { makeUser, testKeyring } from '../helpers/world.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let owner: Awaited<ReturnType<typeof makeUser>>;
let worker: RunningProcess | null = null;
const projects: { projectId: string; projectSlug: string }[] = [];

const workerEnv = {
	SLIPWAY_ALLOW_LOCAL_GIT: '1',
	SLIPWAY_WORK_DIR: '/tmp/slipway-test',
	HEALTH_CHECK_TIMEOUT_SECONDS: '120'
};

beforeAll(async () => {
	t = await createTestDatabase('recovery');
	owner = await makeUser(t.db, 'Crasher');
	await trustHostCertificates(t.db);
});
afterAll(async () => {
	await worker?.stop().catch(() => {});
	for (const p of projects) await removeProjectResources(p).catch(() => {});
	await t.drop();
});

async function queued(app: string, settings = {}) {
	const { project } = await projectFromFixture({
		db: t.db,
		teamId: owner.team.id,
		userId: owner.user.id,
		app,
		settings
	});
	projects.push({ projectId: project.id, projectSlug: project.slug });
	const d = await createDeployment(
		{ db: t.db, keyring: testKeyring },
		{ projectId: project.id, trigger: 'manual' }
	);
	return { project, id: d.id };
}

const terminal = (state: string) => ['ready', 'failed', 'canceled', 'skipped'].includes(state);

describe('a worker killed mid-deploy', { timeout: 400_000 }, () => {
	it('mid-build and mid-probe: after a restart each deployment is terminal within 60 s, and the project deploys again', async () => {
		// A build step that outlasts the test, so the kill lands mid-build whatever the cache holds.
		const building = await queued('node-hello', {
			buildCommand: 'echo slow build started; sleep 600'
		});
		const probing = await queued('node-no-listen');
		worker = await startWorker(t.url, workerEnv);
		await waitFor(
			() => readDeployment(t.db, building.id),
			(d) => d.state === 'building' && /slow build started/.test(d.logText),
			120_000
		);
		const starting = await waitFor(
			() => readDeployment(t.db, probing.id),
			(d) => d.state === 'starting' && !!d.containerId,
			180_000
		);
		worker.child.kill('SIGKILL');
		await new Promise((r) => worker!.child.once('exit', r));

		const restartedAt = Date.now();
		worker = await startWorker(t.url, workerEnv);
		const [a, b] = await Promise.all([
			waitFor(
				() => readDeployment(t.db, building.id),
				(d) => terminal(d.state),
				60_000
			),
			waitFor(
				() => readDeployment(t.db, probing.id),
				(d) => terminal(d.state),
				60_000
			)
		]);
		expect(Date.now() - restartedAt).toBeLessThan(60_000);
		expect(a.state).toBe('failed');
		expect(a.failureReason).toMatch(/worker stopped during the build/);
		expect(b.state).toBe('failed');
		expect(b.failureReason).toMatch(/worker stopped while the app was starting/);
		expect((await inspectContainer(starting.containerId!)).exists).toBe(false);

		// The killed job no longer holds the project's queue: the next deploy goes through.
		await updateProjectSettings({
			db: t.db,
			project: building.project,
			input: { buildCommand: null }
		});
		const again = await createDeployment(
			{ db: t.db, keyring: testKeyring },
			{ projectId: building.project.id, trigger: 'redeploy' }
		);
		const done = await waitFor(
			() => readDeployment(t.db, again.id),
			(d) => terminal(d.state),
			240_000
		);
		expect(done.state, done.logText).toBe('ready');

		// A ready app whose container stopped (daemon or host restart) is started again.
		execFileSync('docker', ['stop', '-t', '1', done.containerId!]);
		await waitFor(
			() => inspectContainer(done.containerId!),
			(c) => c.running,
			30_000
		);
	});

	it('SIGTERM during a long build: the worker exits promptly and says why the deployment ended', async () => {
		const slow = await queued('node-hello', { buildCommand: 'echo slow build started; sleep 600' });
		worker ??= await startWorker(t.url, workerEnv);
		await waitFor(
			() => readDeployment(t.db, slow.id),
			(d) => d.state === 'building' && /\[build\] slow build started/.test(d.logText),
			120_000
		);
		const stoppedAt = Date.now();
		expect(await worker.stop(15_000)).toBe(0);
		worker = null;
		expect(Date.now() - stoppedAt).toBeLessThan(15_000);
		const d = await readDeployment(t.db, slow.id);
		expect(d.state).toBe('failed');
		expect(d.failureReason).toMatch(/worker was stopped \(shutdown or restart\)/);
	});
});
