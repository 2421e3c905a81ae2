import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployment } from '../../src/lib/server/deployments/create.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { createGitRepo, removeGitRepos, sampleApps } from '../helpers/git-repo.ts';
import { codeOf, makeUser, testKeyring } from '../helpers/world.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let owner: Awaited<ReturnType<typeof makeUser>>;
let outsider: Awaited<ReturnType<typeof makeUser>>;
let deploymentId: string;
let otherId: string;

beforeAll(async () => {
	t = await createTestDatabase('logs_before');
	owner = await makeUser(t.db, 'Pager');
	outsider = await makeUser(t.db, 'Outsider');
	const repo = await createGitRepo({ files: sampleApps.node });
	const project = await owner.caller.projects.create({
		teamSlug: owner.team.slug,
		name: 'paging',
		repoUrl: repo.path,
		port: 3000
	});
	const deploy = () =>
		createDeployment(
			{ db: t.db, keyring: testKeyring },
			{ projectId: project.id, branch: 'main', trigger: 'manual' }
		).then((d) => d.id);
	deploymentId = await deploy();
	otherId = await deploy();
	// Two logs written at the same time: their ids interleave, and a page holds only its own.
	await t.db.execute(sql`
		insert into deployment_logs (deployment_id, stream, line, at)
		select case when i % 2 = 0 then ${deploymentId}::uuid else ${otherId}::uuid end, 'build',
			'line ' || (i + 1) / 2, now()
		from generate_series(1, 50) i`);
}, 60_000);

afterAll(async () => {
	await t?.drop();
	await removeGitRepos();
});

const page = (beforeId: number, limit?: number) =>
	owner.caller.deployments.logsBefore({
		teamSlug: owner.team.slug,
		deploymentId,
		beforeId,
		limit
	});

describe('deployments.logsBefore', () => {
	it('pages back from the newest line to the first, oldest first, without gaps or repeats', async () => {
		const newest = await owner.caller.deployments.logs({
			teamSlug: owner.team.slug,
			deploymentId,
			limit: 5000
		});
		expect(newest.map((l) => l.line)).toHaveLength(25);
		const seen: string[] = [];
		let before = newest.at(-1)!.id + 1;
		for (;;) {
			const rows = await page(before, 10);
			if (rows.length === 0) break;
			expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((a, b) => a - b));
			seen.unshift(...rows.map((r) => r.line));
			before = rows[0].id;
		}
		expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `line ${i + 1}`));
		expect(await page(newest[0].id)).toEqual([]);
	});

	it('reads another team’s deployment for nobody, and refuses pages it cannot serve', async () => {
		expect(
			await codeOf(
				outsider.caller.deployments.logsBefore({
					teamSlug: owner.team.slug,
					deploymentId,
					beforeId: 1000
				})
			)
		).toBe('NOT_FOUND');
		expect(
			await codeOf(
				outsider.caller.deployments.logsBefore({
					teamSlug: outsider.team.slug,
					deploymentId,
					beforeId: 1000
				})
			)
		).toBe('NOT_FOUND');
		expect(await codeOf(page(1000, 5001))).toBe('BAD_REQUEST');
		expect(await codeOf(page(0))).toBe('BAD_REQUEST');
	});
});
