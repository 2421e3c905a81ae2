import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeProjectResources } from '../../src/lib/server/deployments/cleanup.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { startTestCaddy, type TestCaddy } from '../helpers/caddy.ts';
import {
	deployNow,
	fixtureFiles,
	pipelineDeps,
	projectFromFixture,
	readDeployment,
	trustHostCertificates,
	waitFor
} from '../helpers/deploy.ts';
import { aliasRows, immutableHost, served, setRetention } from '../helpers/routing.ts';
import { makeUser, testConfig, testKeyring } from '../helpers/world.ts';
import { eq } from 'drizzle-orm';
import { deployments } from '../../src/lib/server/db/schema/index.ts';
import { createDeployment } from '../../src/lib/server/deployments/create.ts';
import { runDeployment } from '../../src/lib/server/deployments/pipeline/run.ts';
import { retireDeployments } from '../../src/lib/server/deployments/retire.ts';
import { switchAlias } from '../../src/lib/server/deployments/rollback.ts';
import { inspectContainer, removeContainer } from '../../src/lib/server/docker/containers.ts';
import { syncRoutes } from '../../src/lib/server/proxy/sync.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let owner: Awaited<ReturnType<typeof makeUser>>;
let caddy: TestCaddy;
let ctx: ReturnType<typeof pipelineDeps>;
const made: { projectId: string; projectSlug: string }[] = [];

beforeAll(async () => {
	t = await createTestDatabase('routing');
	owner = await makeUser(t.db, 'Router');
	await trustHostCertificates(t.db);
	await setRetention(t.db, { drainSeconds: 1, imageRetention: 5 });
	caddy = await startTestCaddy();
	ctx = pipelineDeps(t.db, caddy.cfg);
});
afterAll(async () => {
	ctx?.collector.stopAll();
	for (const p of made) await removeProjectResources(p).catch(() => {});
	await caddy?.stop();
	await t?.drop();
});

async function versionedProject(name: string) {
	const { project, repo } = await projectFromFixture({
		db: t.db,
		teamId: owner.team.id,
		userId: owner.user.id,
		app: 'versioned',
		settings: { name }
	});
	made.push({ projectId: project.id, projectSlug: project.slug });
	return { project, repo };
}

describe('routing through Caddy', { timeout: 300_000 }, () => {
	it('serves a deploy at <project>.localhost and its immutable URL; a second deploy switches production', async () => {
		expect(Object.keys(await fixtureFiles('versioned'))).toContain('VERSION');
		const { project, repo } = await versionedProject('shop');
		const d1 = await deployNow(ctx.deps, project.id);
		expect(d1.state, d1.logText).toBe('ready');
		expect(d1.logText).toMatch(/Routes are live \(switched in \d+ ms\)/);
		expect(await served(caddy, `${project.slug}.localhost`)).toMatchObject({
			version: 'v1',
			deployment: d1.id
		});
		expect(await served(caddy, immutableHost(project.slug, d1.id))).toMatchObject({
			deployment: d1.id
		});
		expect(await served(caddy, `${project.slug}-branch-main.localhost`)).toMatchObject({
			deployment: d1.id
		});

		await repo.commit({ files: { VERSION: 'v2\n' } });
		const d2 = await deployNow(ctx.deps, project.id);
		expect(d2.state, d2.logText).toBe('ready');
		expect(await served(caddy, `${project.slug}.localhost`)).toMatchObject({
			version: 'v2',
			deployment: d2.id
		});
		// The previous one keeps running (and answering at its own URL) for an instant rollback.
		expect(await served(caddy, immutableHost(project.slug, d1.id))).toMatchObject({
			version: 'v1'
		});
		const production = (await aliasRows(t.db, project.id)).find((a) => a.kind === 'production');
		expect(production).toMatchObject({ deploymentId: d2.id, previousDeploymentId: d1.id });
	});

	it('does not claim a deployment live while Caddy is down: it retries, says why, and goes live when Caddy is back', async () => {
		const { project } = await versionedProject('down');
		const first = await deployNow(ctx.deps, project.id);
		expect(first.state, first.logText).toBe('ready');
		await caddy.kill();
		const created = await createDeployment(
			{ db: t.db, keyring: testKeyring },
			{ projectId: project.id, trigger: 'manual' }
		);
		const running = runDeployment(ctx.deps, { deploymentId: created.id });
		const waiting = await waitFor(
			() => readDeployment(t.db, created.id),
			(d) => /Not live yet: Caddy's admin API/.test(d.logText),
			120_000
		);
		expect(waiting.state).toBe('starting');
		expect(waiting.logText).toMatch(/did not answer \(ECONNREFUSED\).*Retrying in \d+ s/);
		const production = (await aliasRows(t.db, project.id)).find((a) => a.kind === 'production');
		expect(production?.deploymentId).toBe(first.id);
		await caddy.start();
		await running;
		const done = await readDeployment(t.db, created.id);
		expect(done.state, done.logText).toBe('ready');
		expect(await served(caddy, `${project.slug}.localhost`)).toMatchObject({
			deployment: created.id
		});
	});

	it('fails at finalize with the reason when Caddy stays down, and keeps the previous deployment', async () => {
		const { project } = await versionedProject('stays-down');
		const short = pipelineDeps(t.db, caddy.cfg);
		short.deps.retryForMs = 3_000;
		const first = await deployNow(short.deps, project.id);
		expect(first.state, first.logText).toBe('ready');
		await caddy.kill();
		try {
			const d = await deployNow(short.deps, project.id);
			expect(d.state).toBe('failed');
			expect(d.failureStage).toBe('finalize');
			expect(d.failureReason).toMatch(
				/healthy, but Caddy did not take its routes .*Nothing was switched; the previous deployment keeps serving/
			);
			expect(d.containerId === null || !(await inspectContainer(d.containerId)).exists).toBe(true);
			const production = (await aliasRows(t.db, project.id)).find((a) => a.kind === 'production');
			expect(production?.deploymentId).toBe(first.id);
		} finally {
			short.collector.stopAll();
			await caddy.start();
		}
		await syncRoutes(t.db, { ...testConfig, ...caddy.cfg });
		expect(await served(caddy, `${project.slug}.localhost`)).toMatchObject({
			deployment: first.id
		});
	});

	it('retires what no alias needs after the drain, keeps N images, and rolls back to a retired deployment from its image', async () => {
		const { project } = await versionedProject('retire');
		await setRetention(t.db, { drainSeconds: 1, imageRetention: 2 });
		try {
			const ids: string[] = [];
			for (let i = 0; i < 4; i++) {
				const d = await deployNow(ctx.deps, project.id);
				expect(d.state, d.logText).toBe('ready');
				ids.push(d.id);
			}
			const summary = await retireDeployments({
				db: t.db,
				cfg: { ...testConfig, ...caddy.cfg },
				projectId: project.id
			});
			// Production points at #4 and before it #3; both branch aliases likewise.
			expect(summary.stopped).toBe(2);
			const rows = await Promise.all(ids.map((id) => readDeployment(t.db, id)));
			expect(rows.map((r) => r.containerId !== null)).toEqual([false, false, true, true]);
			expect(rows[0].stoppedAt).not.toBeNull();
			// Retired: its immutable URL no longer routes (the not-found page takes it).
			expect(await served(caddy, immutableHost(project.slug, ids[0]))).not.toMatchObject({
				deployment: ids[0]
			});
			// All four built the same layers: only deployments beyond the newest 2 lose their image.
			expect(summary.imagesRemoved).toBe(2);
			expect(rows.map((r) => r.imageRemovedAt !== null)).toEqual([true, true, false, false]);

			// Rolling back to #3 switches at once; to a retired one with an image is refused.
			const member = owner.caller;
			await expect(
				member.deployments.rollback({ teamSlug: owner.team.slug, deploymentId: ids[0] })
			).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/retention/) });
			const asked = await member.deployments.rollback({
				teamSlug: owner.team.slug,
				deploymentId: ids[2]
			});
			expect(asked.productionAutoDeployPaused).toBe(true);
			const result = await switchAlias(ctx.deps, { aliasId: asked.aliasId, deploymentId: ids[2] });
			expect(result.ok).toBe(true);
			expect(await served(caddy, `${project.slug}.localhost`)).toMatchObject({
				deployment: ids[2]
			});
			// Now #4 is previous; retire nothing new. Retire #4's container by hand, then roll back to it:
			// it starts again from its image, passes its health check, then takes production.
			await retireDeployments({
				db: t.db,
				cfg: { ...testConfig, ...caddy.cfg },
				projectId: project.id
			});
			await t.db
				.update(deployments)
				.set({ containerId: null, hostPort: null, stoppedAt: new Date() })
				.where(eq(deployments.id, ids[3]));
			await removeContainer(rows[3].containerId!);
			const back = await member.deployments.rollback({
				teamSlug: owner.team.slug,
				deploymentId: ids[3]
			});
			expect(
				(await switchAlias(ctx.deps, { aliasId: back.aliasId, deploymentId: ids[3] })).ok
			).toBe(true);
			expect(await served(caddy, `${project.slug}.localhost`)).toMatchObject({
				deployment: ids[3]
			});
			const log = (await readDeployment(t.db, ids[3])).logText;
			expect(log).toMatch(/Its container was stopped; starting a new one from/);
			expect(log).toMatch(/Health check passed/);
			expect(log).toMatch(/Rolled back: .* serves this deployment now/);
		} finally {
			await setRetention(t.db, { drainSeconds: 1, imageRetention: 5 });
		}
	});

	it('gives branches that sanitize alike their own hostnames, and refuses a rollback that changes nothing', async () => {
		const { project, repo } = await versionedProject('twins');
		await repo.commit({ files: { VERSION: 'slash\n' }, branch: 'feature/a' });
		await repo.commit({ files: { VERSION: 'dash\n' }, branch: 'feature-a' });
		const slash = await deployNow(ctx.deps, project.id, 'feature/a');
		const dash = await deployNow(ctx.deps, project.id, 'feature-a');
		expect([slash.state, dash.state]).toEqual(['ready', 'ready']);
		const labels = (await aliasRows(t.db, project.id))
			.filter((a) => a.kind === 'branch')
			.map((a) => [a.key, a.label]);
		expect(labels).toEqual(
			expect.arrayContaining([
				['feature/a', `${project.slug}-branch-feature-a`],
				[
					'feature-a',
					expect.stringMatching(new RegExp(`^${project.slug}-branch-feature-a-[0-9a-f]{6}$`))
				]
			])
		);
		const dashLabel = labels.find(([key]) => key === 'feature-a')![1];
		expect(await served(caddy, `${project.slug}-branch-feature-a.localhost`)).toMatchObject({
			version: 'slash'
		});
		expect(await served(caddy, `${dashLabel}.localhost`)).toMatchObject({ version: 'dash' });
		await expect(
			owner.caller.deployments.rollback({ teamSlug: owner.team.slug, deploymentId: dash.id })
		).rejects.toMatchObject({
			code: 'CONFLICT',
			message: expect.stringMatching(/already the one/)
		});
	});
});
