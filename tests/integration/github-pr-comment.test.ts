import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubPrComments } from '../../src/lib/server/db/schema/index.ts';
import { moveDeployment } from '../../src/lib/server/deployments/pipeline/state.ts';
import { PR_COMMENT_MARKER } from '../../src/lib/server/github/report/comment-body.ts';
import { ensureAlias, pointAliases } from '../../src/lib/server/proxy/aliases.ts';
import {
	makeProject,
	pushDeployment,
	REPO,
	reportCalls,
	reportDeps,
	runReportJobs,
	sha,
	startReportWorld,
	waitForReportJob
} from '../helpers/github-report.ts';

let world: Awaited<ReturnType<typeof startReportWorld>>;
let t: typeof world.t;
let fake: typeof world.fake;
let web: typeof world.web;
let docs: Awaited<ReturnType<typeof makeProject>>;
let second = '';

beforeAll(async () => {
	world = await startReportWorld('github_pr_comment');
	({ t, fake, web } = world);
	docs = await makeProject(t.db, 'Docs');
});
afterAll(() => world?.stop());

const page = (p: typeof web, id: string) =>
	`https://slipway.example.com/${p.teamSlug}/${p.slug}/deployments/${id}`;
const commentCalls = (since: number) =>
	reportCalls({ ...fake, requests: fake.requests.slice(since) }).filter((c) =>
		c.call.includes('/issues/')
	);
const comments = () => fake.state.comments.filter((c) => c.issue === 12);

/** Makes a change, lets its report (and the comment update it queues) run. */
async function step(id: string, change: () => Promise<unknown>) {
	const since = fake.requests.length;
	await change();
	await waitForReportJob(t.db, id);
	await runReportJobs(t.url, reportDeps(t.db));
	return since;
}

describe('the sticky pull-request comment', () => {
	it('is created once, then edited in place through a second synchronize', async () => {
		let since = fake.requests.length;
		const first = (
			await pushDeployment(t.db, web.id, { sha: sha('7'), branch: 'login', pullRequest: 12 })
		).id;
		await waitForReportJob(t.db, first);
		await runReportJobs(t.url, reportDeps(t.db));
		const opened = reportCalls({ ...fake, requests: fake.requests.slice(since) });
		expect(opened.map((c) => c.call)).toEqual([
			`POST /statuses/${sha('7')}`,
			'POST /deployments',
			expect.stringMatching(/^POST \/deployments\/\d+\/statuses$/),
			'GET /issues/12/comments',
			'POST /issues/12/comments'
		]);
		expect(opened[1].body).toMatchObject({
			environment: `Preview – ${web.slug} – PR #12`,
			transient_environment: true,
			production_environment: false
		});
		expect(comments()).toHaveLength(1);
		const [comment] = comments();
		expect(comment.body).toContain(PR_COMMENT_MARKER);
		expect(comment.body).toContain(`| Web | ⏳ Queued | — | [Inspect](${page(web, first)}) |`);

		// It goes live on its pull request's alias: the comment shows the preview address.
		for (const to of ['building', 'starting'] as const) {
			await step(first, () => moveDeployment({ db: t.db, id: first, to }));
		}
		since = await step(first, async () => {
			await t.db.transaction(async (tx) => {
				const alias = await ensureAlias(tx, {
					projectId: web.id,
					projectSlug: web.slug,
					environmentId: null,
					target: { kind: 'pull_request', number: 12 }
				});
				await pointAliases(tx, { aliasIds: [alias.id], deploymentId: first });
			});
			await moveDeployment({ db: t.db, id: first, to: 'ready' });
		});
		const preview = `https://${web.slug}-pr-12.apps.example.com`;
		const ready = reportCalls({ ...fake, requests: fake.requests.slice(since) });
		expect(ready[1].body).toMatchObject({ state: 'success', environment_url: preview });
		expect(ready.slice(2)).toEqual([
			{ call: `PATCH /issues/comments/${comment.id}`, body: { body: comment.body } }
		]);
		expect(comment.body).toContain(
			`| Web | ✅ Ready | [${web.slug}-pr-12.apps.example.com](${preview}) | [Inspect](${page(web, first)}) |`
		);

		// A second push to the pull request (`synchronize`): same comment, newest deployment.
		since = fake.requests.length;
		second = (
			await pushDeployment(t.db, web.id, { sha: sha('8'), branch: 'login', pullRequest: 12 })
		).id;
		await waitForReportJob(t.db, second);
		await runReportJobs(t.url, reportDeps(t.db));
		expect(commentCalls(since)).toEqual([
			{ call: `PATCH /issues/comments/${comment.id}`, body: { body: comment.body } }
		]);
		expect(comments()).toHaveLength(1);
		expect(comment.body).toContain(
			`| Web | ⏳ Queued | [${web.slug}-pr-12.apps.example.com](${preview}) | [Inspect](${page(web, second)}) |`
		);
		expect(fake.calls('POST', '/api/v3/repos/:o/:r/issues/:n/comments')).toHaveLength(1);
	});

	it('lists every project of the repository with a preview of the pull request', async () => {
		const since = fake.requests.length;
		const d = await pushDeployment(t.db, docs.id, {
			sha: sha('8'),
			branch: 'login',
			pullRequest: 12
		});
		await waitForReportJob(t.db, d.id);
		await runReportJobs(t.url, reportDeps(t.db));
		const calls = reportCalls({ ...fake, requests: fake.requests.slice(since) });
		expect(calls[0].body).toMatchObject({ context: `slipway/${docs.slug}` });
		expect(comments()).toHaveLength(1);
		const rows = comments()[0]
			.body.split('\n')
			.filter((l) => l.startsWith('| ') && !l.startsWith('| Project') && !l.startsWith('| :'));
		expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| Docs', '| Web']);
	});

	it('finds its own comment by its marker when the stored id is lost', async () => {
		const [stored] = await t.db.delete(githubPrComments).returning();
		expect(stored).toMatchObject({ repoId: REPO.id, number: 12 });
		const since = await step(second, () =>
			moveDeployment({ db: t.db, id: second, to: 'building' })
		);
		expect(commentCalls(since).map((c) => c.call)).toEqual([
			'GET /issues/12/comments',
			`PATCH /issues/comments/${stored.commentId}`
		]);
		expect(comments()).toHaveLength(1);
		const [again] = await t.db
			.select()
			.from(githubPrComments)
			.where(eq(githubPrComments.repoId, REPO.id));
		expect(again.commentId).toBe(stored.commentId);
	});

	it('makes a new comment when its comment was deleted on GitHub', async () => {
		const old = comments()[0].id;
		fake.state.comments.splice(fake.state.comments.indexOf(comments()[0]), 1);
		const since = await step(second, () =>
			moveDeployment({ db: t.db, id: second, to: 'starting' })
		);
		expect(commentCalls(since).map((c) => c.call)).toEqual([
			`PATCH /issues/comments/${old}`,
			'POST /issues/12/comments'
		]);
		expect(comments()).toHaveLength(1);
		expect(comments()[0].body).toContain('| Web | 🚀 Starting |');
		const [row] = await t.db.select().from(githubPrComments);
		expect(row.commentId).toBe(comments()[0].id);
	});
});
