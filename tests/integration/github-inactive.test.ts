import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveDeployment } from '../../src/lib/server/deployments/pipeline/state.ts';
import {
	queuePreviewRemoved,
	queueRollbackReport
} from '../../src/lib/server/github/report/enqueue.ts';
import { ensureAlias, pointAliases } from '../../src/lib/server/proxy/aliases.ts';
import {
	pushDeployment,
	reportCalls,
	reportDeps,
	runReportJobs,
	sha,
	startReportWorld,
	waitForReportJob
} from '../helpers/github-report.ts';

/**
 * GitHub marks older Deployments inactive by itself only for non-production, non-transient
 * environments: Slipway does it for production and previews, so a pull request and the
 * repository's environments page show only what really serves.
 */
let world: Awaited<ReturnType<typeof startReportWorld>>;
let t: typeof world.t;
let fake: typeof world.fake;
let web: typeof world.web;
let aliasId: string;

beforeAll(async () => {
	world = await startReportWorld('github_inactive');
	({ t, fake, web } = world);
});
afterAll(() => world?.stop());

const run = () => runReportJobs(t.url, reportDeps(t.db));

/** Moves a deployment to ready and runs its reports; returns its GitHub Deployment id. */
async function readyDeployment(
	commit: string,
	pullRequest?: number,
	goLive?: (id: string) => Promise<void>
) {
	const { id } = await pushDeployment(t.db, web.id, {
		sha: commit,
		branch: pullRequest ? 'feature' : 'main',
		pullRequest
	});
	for (const to of ['building', 'starting', 'ready'] as const) {
		if (to === 'ready') await goLive?.(id);
		await moveDeployment({ db: t.db, id, to });
	}
	await waitForReportJob(t.db, id);
	await run();
	const [row] = await t.db.execute<{ github_deployment_id: number }>(
		sql`select github_deployment_id from github_deployment_reports where deployment_id = ${id}`
	);
	return { id, githubId: Number(row.github_deployment_id) };
}

const inactiveCalls = (from: number) =>
	reportCalls({ ...fake, requests: fake.requests.slice(from) }).filter(
		(c) => (c.body as { state?: string }).state === 'inactive'
	);

describe('GitHub Deployments that no longer serve', () => {
	it('the previous production deployment turns inactive when a newer one goes live', async () => {
		const first = await readyDeployment(sha('1'));
		const before = fake.requests.length;
		const second = await readyDeployment(sha('2'));
		expect(inactiveCalls(before)).toEqual([
			{
				call: `POST /deployments/${first.githubId}/statuses`,
				body: { state: 'inactive', description: 'Replaced by a newer deployment' }
			}
		]);
		// Said once: a third deployment marks only the second.
		const mark = fake.requests.length;
		await readyDeployment(sha('3'));
		expect(inactiveCalls(mark).map((c) => c.call)).toEqual([
			`POST /deployments/${second.githubId}/statuses`
		]);
	});

	it('after a rollback the earlier deployment is the active one on GitHub again', async () => {
		const older = await readyDeployment(sha('5'));
		const newer = await readyDeployment(sha('6'));
		const before = fake.requests.length;
		// What switchAlias queues once the production alias serves `older` again.
		await queueRollbackReport(t.db, { id: older.id, projectId: web.id });
		await run();
		const calls = reportCalls({ ...fake, requests: fake.requests.slice(before) });
		expect(calls).toEqual([
			{
				call: `POST /deployments/${older.githubId}/statuses`,
				body: {
					state: 'success',
					description: 'Serving again after a rollback',
					log_url: `https://slipway.example.com/${web.teamSlug}/${web.slug}/deployments/${older.id}`,
					environment_url: `https://${web.slug}.apps.example.com`
				}
			},
			{
				call: `POST /deployments/${newer.githubId}/statuses`,
				body: { state: 'inactive', description: 'Rolled back to an earlier deployment' }
			}
		]);
	});

	it("a closed pull request's preview deployments turn inactive, its comment says so", async () => {
		// Live at its alias, as finalize leaves it.
		await t.db.transaction(async (tx) => {
			const alias = await ensureAlias(tx, {
				projectId: web.id,
				projectSlug: web.slug,
				environmentId: null,
				target: { kind: 'pull_request', number: 12 }
			});
			aliasId = alias.id;
		});
		const preview = await readyDeployment(sha('4'), 12, async (id) => {
			await t.db.transaction((tx) => pointAliases(tx, { aliasIds: [aliasId], deploymentId: id }));
		});
		const comment = () => fake.state.comments.find((c) => c.issue === 12)!.body;
		expect(comment()).toContain(`${web.slug}-pr-12.apps.example.com`);
		expect(comment()).toContain('✅ Ready');

		// Closed: removePreview deleted the alias, then the webhook handler queued this.
		await t.db.execute(sql`delete from aliases where id = ${aliasId}`);
		const before = fake.requests.length;
		await queuePreviewRemoved(t.db, {
			projectId: web.id,
			target: { kind: 'pull_request', number: 12 }
		});
		await run();
		expect(inactiveCalls(before)).toEqual([
			{
				call: `POST /deployments/${preview.githubId}/statuses`,
				body: { state: 'inactive', description: 'Preview removed: pull request #12 was closed' }
			}
		]);
		expect(comment()).toContain('🗑️ Preview removed');
		expect(comment()).not.toContain(`${web.slug}-pr-12.apps.example.com`);
		expect(fake.state.comments.filter((c) => c.issue === 12)).toHaveLength(1);
	});
});
