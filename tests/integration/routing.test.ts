import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeProjectResources } from '../../src/lib/server/deployments/cleanup.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { startTestCaddy, type TestCaddy } from '../helpers/caddy.ts';
import {
	deployNow,
	fixtureFiles,
	pipelineDeps,
	projectFromFixture,
	trustHostCertificates
} from '../helpers/deploy.ts';
import { aliasRows, immutableHost, served, setRetention } from '../helpers/routing.ts';
import { makeUser } from '../helpers/world.ts';

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
});
