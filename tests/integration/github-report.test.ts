import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubDeploymentReports } from '../../src/lib/server/db/schema/index.ts';
import { cancelDeployment } from '../../src/lib/server/deployments/actions.ts';
import { failDeployment, moveDeployment } from '../../src/lib/server/deployments/pipeline/state.ts';
import { sweepGithubReports } from '../../src/lib/server/github/report/enqueue.ts';
import { ensureAlias, pointAliases } from '../../src/lib/server/proxy/aliases.ts';
import { apiRoutes } from '../helpers/fake-github/api-routes.ts';
import { json } from '../helpers/fake-github/server.ts';
import {
	makeProject,
	platformLines,
	pushDeployment,
	reportCalls,
	reportDeps,
	reportJobs,
	runReportJobs,
	sha,
	startReportWorld,
	waitForReportJob
} from '../helpers/github-report.ts';

let world: Awaited<ReturnType<typeof startReportWorld>>;
let t: typeof world.t;
let fake: typeof world.fake;
let web: typeof world.web;
/** How the fake answers the next commit statuses: GitHub's own answer, a 500, or a 404. */
let statusesMode: { fail: number; status: 500 | 404 } = { fail: 0, status: 500 };

beforeAll(async () => {
	world = await startReportWorld('github_report');
	({ t, fake, web } = world);
	const pattern = '/api/v3/repos/:owner/:repo/statuses/:sha';
	const original = apiRoutes(fake).find(([m, p]) => m === 'POST' && p === pattern)![2];
	fake.route('POST', pattern, (req, res, params, url) => {
		if (statusesMode.fail > 0) {
			statusesMode.fail--;
			return json(res, statusesMode.status, {
				message: statusesMode.status === 404 ? 'Not Found' : 'Server Error'
			});
		}
		return original(req, res, params, url);
	});
});
afterAll(() => world?.stop());

const deps = () => reportDeps(t.db);
const run = () => runReportJobs(t.url, deps());
const page = (id: string) =>
	`https://slipway.example.com/${web.teamSlug}/${web.slug}/deployments/${id}`;

async function step(id: string, move: () => Promise<unknown>) {
	const before = fake.requests.length;
	await move();
	await waitForReportJob(t.db, id);
	await run();
	return reportCalls({ ...fake, requests: fake.requests.slice(before) });
}

describe('commit statuses and GitHub Deployments', () => {
	it('reports a production deployment pending → success, with one GitHub Deployment', async () => {
		const commit = sha('a');
		const { id } = await pushDeployment(t.db, web.id, { sha: commit });
		const queued = await step(id, async () => {});
		const context = `slipway/${web.slug}`;
		expect(queued.map((c) => c.call)).toEqual([
			`POST /statuses/${commit}`,
			'POST /deployments',
			expect.stringMatching(/^POST \/deployments\/\d+\/statuses$/)
		]);
		expect(queued[0].body).toEqual({
			state: 'pending',
			description: 'Queued',
			target_url: page(id),
			context
		});
		expect(queued[1].body).toEqual({
			ref: commit,
			environment: `Production – ${web.slug}`,
			description: 'Web on Slipway',
			auto_merge: false,
			required_contexts: [],
			transient_environment: false,
			production_environment: true,
			payload: { slipway_deployment_id: id }
		});
		const githubId = Number(queued[2].call.split('/')[2]);
		expect(queued[2].body).toEqual({ state: 'queued', description: 'Queued', log_url: page(id) });

		const building = await step(id, () => moveDeployment({ db: t.db, id, to: 'building' }));
		expect(building).toEqual([
			{
				call: `POST /statuses/${commit}`,
				body: { state: 'pending', description: 'Building', target_url: page(id), context }
			},
			{
				call: `POST /deployments/${githubId}/statuses`,
				body: { state: 'in_progress', description: 'Building', log_url: page(id) }
			}
		]);
		await step(id, () => moveDeployment({ db: t.db, id, to: 'starting' }));

		const ready = await step(id, async () => {
			await t.db.transaction(async (tx) => {
				const alias = await ensureAlias(tx, {
					projectId: web.id,
					projectSlug: web.slug,
					environmentId: null,
					target: { kind: 'production' }
				});
				await pointAliases(tx, { aliasIds: [alias.id], deploymentId: id });
			});
			await moveDeployment({ db: t.db, id, to: 'ready' });
		});
		expect(ready).toEqual([
			{
				call: `POST /statuses/${commit}`,
				body: { state: 'success', description: 'Ready', target_url: page(id), context }
			},
			{
				call: `POST /deployments/${githubId}/statuses`,
				body: {
					state: 'success',
					description: 'Ready',
					log_url: page(id),
					environment_url: `https://${web.slug}.apps.example.com`
				}
			}
		]);
		// One GitHub Deployment for the whole life of the deployment; nothing left to send.
		expect(fake.calls('POST', '/api/v3/repos/:o/:r/deployments')).toHaveLength(1);
		const [report] = await t.db
			.select()
			.from(githubDeploymentReports)
			.where(eq(githubDeploymentReports.deploymentId, id));
		expect(report).toMatchObject({ githubDeploymentId: githubId, reportedState: 'ready' });
		expect(await sweepGithubReports(t.db)).toBe(0);
	});

	it('reports a failure with its stage and reason, cut to GitHub’s 140 characters', async () => {
		const commit = sha('b');
		const d = await pushDeployment(t.db, web.id, { sha: commit });
		await waitForReportJob(t.db, d.id);
		await run();
		const reason = `The build failed: npm ci exited with code 1. ${'Check the lockfile. '.repeat(10)}`;
		const calls = await step(d.id, () =>
			failDeployment({ db: t.db, id: d.id, stage: 'build', reason })
		);
		const description = (calls[0].body as { description: string }).description;
		expect(description.length).toBe(140);
		expect(description).toMatch(
			/^Failed at build: The build failed: npm ci exited with code 1\. .*…$/
		);
		expect(calls[0].body).toMatchObject({ state: 'failure', target_url: page(d.id) });
		expect(calls[1].body).toEqual({ state: 'failure', description, log_url: page(d.id) });
	});

	it('coalesces a burst: superseded is skipped (success), canceled is error, neither gets a GitHub Deployment', async () => {
		const before = fake.requests.length;
		const older = await pushDeployment(t.db, web.id, { sha: sha('c'), branch: 'main' });
		const newer = await pushDeployment(t.db, web.id, { sha: sha('d'), branch: 'main' });
		await cancelDeployment({ db: t.db, deployment: { id: newer.id, state: 'queued' } });
		await waitForReportJob(t.db, older.id, 1);
		await waitForReportJob(t.db, newer.id, 1);
		await run();
		const calls = reportCalls({ ...fake, requests: fake.requests.slice(before) });
		expect(calls).toEqual([
			{
				call: `POST /statuses/${sha('c')}`,
				body: {
					state: 'success',
					description:
						'Skipped: Superseded by a newer deployment of the same branch before it started.',
					target_url: page(older.id),
					context: `slipway/${web.slug}`
				}
			},
			{
				call: `POST /statuses/${sha('d')}`,
				body: {
					state: 'error',
					description: 'Canceled',
					target_url: page(newer.id),
					context: `slipway/${web.slug}`
				}
			}
		]);
	});
});

describe('when GitHub fails', () => {
	it('retries a 500 with backoff until the status is reported', async () => {
		statusesMode = { fail: 1, status: 500 };
		const before = fake.requests.length;
		const d = await pushDeployment(t.db, web.id, { sha: sha('e'), branch: 'retry' });
		await waitForReportJob(t.db, d.id);
		await run();
		const [job] = await reportJobs(t.db, d.id);
		expect(job).toMatchObject({ attempts: 1, max_attempts: 10 });
		expect(job.last_error).toContain('Server Error');
		// graphile-worker's backoff: the next attempt waits e^1 ≈ 2.7 s.
		expect(job.delay).toBeGreaterThan(1.5);
		await t.db.execute(
			sql`update graphile_worker._private_jobs set run_at = now() where key = ${job.key}`
		);
		await run();
		expect(await reportJobs(t.db, d.id)).toEqual([]);
		const calls = reportCalls({ ...fake, requests: fake.requests.slice(before) });
		expect(calls.map((c) => c.call)).toEqual([
			`POST /statuses/${sha('e')}`,
			`POST /statuses/${sha('e')}`,
			'POST /deployments',
			expect.stringMatching(/^POST \/deployments\/\d+\/statuses$/)
		]);
		expect(await platformLines(t.db, d.id)).toEqual([]);
	});

	it('does not retry a 404: the deployment log says what to do', async () => {
		statusesMode = { fail: 1, status: 404 };
		const before = fake.requests.length;
		const d = await pushDeployment(t.db, web.id, { sha: sha('f'), branch: 'gone' });
		await waitForReportJob(t.db, d.id);
		await run();
		expect(await reportJobs(t.db, d.id)).toEqual([]);
		expect(reportCalls({ ...fake, requests: fake.requests.slice(before) })).toHaveLength(1);
		const lines = await platformLines(t.db, d.id);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain('GitHub refused to set the commit status on octo/app (404');
		expect(lines[0]).toContain('reinstall it or grant it the repository on GitHub');
		// Recorded as reported: the sweep does not bring it back.
		expect(await sweepGithubReports(t.db)).toBe(0);
	});

	it('says so in the deployment log when the last attempt fails', async () => {
		statusesMode = { fail: 1, status: 500 };
		const d = await pushDeployment(t.db, web.id, { sha: sha('1'), branch: 'give-up' });
		await waitForReportJob(t.db, d.id);
		await t.db.execute(
			sql`update graphile_worker._private_jobs set max_attempts = 1 where key = ${`github-report:${d.id}`}`
		);
		await run();
		const lines = await platformLines(t.db, d.id);
		expect(lines).toEqual([
			expect.stringContaining(
				'Slipway could not report this deployment to GitHub after several attempts'
			)
		]);
		// The failed job stays (graphile keeps it): the sweep does not start it over and over.
		expect(await reportJobs(t.db, d.id)).toHaveLength(1);
		expect(await sweepGithubReports(t.db)).toBe(0);
	});
});

describe('triggering', () => {
	it('re-queues a report whose job was lost (the sweep)', async () => {
		const d = await pushDeployment(t.db, web.id, { sha: sha('2'), branch: 'lost' });
		await waitForReportJob(t.db, d.id);
		await t.db.execute(sql`select graphile_worker.remove_job(${`github-report:${d.id}`})`);
		expect(await sweepGithubReports(t.db)).toBe(1);
		const before = fake.requests.length;
		await run();
		expect(reportCalls({ ...fake, requests: fake.requests.slice(before) })[0]).toMatchObject({
			call: `POST /statuses/${sha('2')}`,
			body: { state: 'pending', description: 'Queued' }
		});
	});

	it('never talks to GitHub about a project without a GitHub repository', async () => {
		const local = await makeProject(t.db, 'Local only', false);
		const before = fake.requests.length;
		const d = await pushDeployment(t.db, local.id, { sha: sha('3') });
		await moveDeployment({ db: t.db, id: d.id, to: 'building' });
		await failDeployment({ db: t.db, id: d.id, stage: 'build', reason: 'broken' });
		await new Promise((r) => setTimeout(r, 300));
		expect(await sweepGithubReports(t.db)).toBe(0);
		await run();
		expect(await reportJobs(t.db, d.id)).toEqual([]);
		expect(fake.requests.length).toBe(before);
	});
});
