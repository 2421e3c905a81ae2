import { sign } from '@octokit/webhooks-methods';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlePullRequest } from '../../src/lib/server/github/webhooks/handle-pull-request.ts';
import { handlePush } from '../../src/lib/server/github/webhooks/handle-push.ts';
import type {
	PullRequestPayload,
	PushPayload
} from '../../src/lib/server/github/webhooks/payloads.ts';
import { seedGithubApp } from '../helpers/fake-github/seed.ts';
import {
	deliver,
	examplePayload,
	runGithubJobs,
	startWebhookWorld
} from '../helpers/github-webhooks.ts';

// Needs a current build: `SLIPWAY_BUILD_DIR=build-x npx vite build` (startWeb runs `node build`).

let world: Awaited<ReturnType<typeof startWebhookWorld>>;
let t: typeof world.t;
let web: typeof world.web;
let fake: typeof world.fake;
let secret: string;
let projectId: string;
let deps: typeof world.deps;

beforeAll(async () => {
	world = await startWebhookWorld('gh_webhooks');
	({ t, web, fake, secret, projectId, deps } = world);
	// The App is saved by the first test: until then the endpoint has no secret to check.
	await t.db.execute(sql`delete from github_app`);
});
afterAll(() => world?.stop());

const counts = async () => {
	const [row] = await t.db.execute<{
		deliveries: number;
		jobs: number;
		deployments: number;
	}>(sql`select
		(select count(*)::int from github_deliveries) as deliveries,
		(select count(*)::int from graphile_worker.jobs where task_identifier = 'github_event') as jobs,
		(select count(*)::int from deployments) as deployments`);
	return row;
};
const deploymentsOf = () =>
	t.db.execute<{
		branch: string;
		state: string;
		trigger: string;
		commit_sha: string | null;
		commit_message: string | null;
		failure_reason: string | null;
		environment: string;
	}>(sql`select branch, state, trigger, commit_sha, commit_message, failure_reason,
		config_snapshot->>'environment' as environment from deployments
		where project_id = ${projectId} order by created_at`);

/** A recorded push to master (a branch, with a head commit) of Codertocat/Hello-World. */
const pushExample = (patch: { ref?: string; after?: string; message?: string } = {}) => {
	const p = examplePayload<{
		ref: string;
		after: string;
		head_commit: { message: string };
	}>('push', (e) => e.ref === 'refs/heads/master');
	if (patch.ref) p.ref = patch.ref;
	if (patch.after) p.after = patch.after;
	if (patch.message) p.head_commit.message = patch.message;
	return p;
};

describe('the endpoint', () => {
	it('answers 503 with what to do while no GitHub App is set up, and stores nothing', async () => {
		const reply = await deliver(web.url, 'push', pushExample(), { secret });
		expect(reply.status).toBe(503);
		expect(reply.body.message).toMatch(/Admin → GitHub/);
		expect(await counts()).toMatchObject({ deliveries: 0, jobs: 0 });
		await seedGithubApp(t.db, fake);
	});

	it('refuses a missing or wrong signature with 401 and writes nothing', async () => {
		const missing = await deliver(web.url, 'push', pushExample(), { signature: null });
		expect(missing.status).toBe(401);
		expect(missing.body.message).toMatch(/Missing X-Hub-Signature-256/);
		const wrong = await deliver(web.url, 'push', pushExample(), { secret: 'not-the-secret' });
		expect(wrong.status).toBe(401);
		// Signed body, then one byte changed: the HMAC covers the raw bytes.
		const body = JSON.stringify(pushExample());
		const tampered = await deliver(web.url, 'push', null, {
			body: body.replace('Initial commit', 'Initial commiT'),
			signature: await sign(secret, body)
		});
		expect(tampered.status).toBe(401);
		expect(await counts()).toEqual({ deliveries: 0, jobs: 0, deployments: 0 });
	});

	it('answers 400 to a signed body that is not JSON', async () => {
		const reply = await deliver(web.url, 'push', null, { secret, body: '{"ref": "refs/heads/ma' });
		expect(reply.status).toBe(400);
		expect(reply.body.message).toMatch(/not valid JSON/);
		expect((await counts()).deliveries).toBe(0);
	});

	it('answers 413 to 30 MB without reading it, yet takes a signed 20 MB push', async () => {
		const huge = 'x'.repeat(30 * 1024 * 1024);
		const tooBig = await deliver(web.url, 'push', null, {
			secret: 'unused',
			body: huge,
			signature: 'sha256=00'
		});
		expect(tooBig.status).toBe(413);
		expect(tooBig.body.message).toMatch(/25 MB/);
		// Real pushes can be large (GitHub caps them at 25 MB): adapter-node's 512K default must not refuse them.
		const big = pushExample({ ref: 'refs/heads/big', message: 'Big push' });
		(big as Record<string, unknown>).padding = 'y'.repeat(20 * 1024 * 1024);
		const reply = await deliver(web.url, 'push', big, { secret });
		expect(reply.status).toBe(202);
		expect(await counts()).toMatchObject({ deliveries: 1, jobs: 1 });
		await runGithubJobs(t.db, deps);
		const [stored] = await t.db.execute<{ payload: unknown; processed: boolean }>(
			sql`select payload, processed_at is not null as processed from github_deliveries`
		);
		expect(stored).toEqual({ payload: null, processed: true });
		expect((await deploymentsOf()).map((d) => d.branch)).toEqual(['big']);
	});

	it('acknowledges events it does not act on with 202, and answers ping', async () => {
		const before = await counts();
		const star = await deliver(web.url, 'star', { action: 'created' }, { secret });
		expect(star).toMatchObject({
			status: 202,
			body: { message: expect.stringMatching(/Ignored/) }
		});
		const ping = await deliver(web.url, 'ping', { zen: 'Keep it simple.' }, { secret });
		expect(ping.status).toBe(200);
		expect(await counts()).toEqual(before);
	});

	it('handles a redelivered delivery once: "already received", one deployment', async () => {
		const payload = pushExample({ ref: 'refs/heads/replayed' });
		const first = await deliver(web.url, 'push', payload, { secret });
		const again = await deliver(web.url, 'push', payload, { secret, id: first.id });
		expect([first.status, again.status]).toEqual([202, 200]);
		expect(again.body.message).toMatch(/Already received/);
		expect(await runGithubJobs(t.db, deps)).toBe(1);
		const third = await deliver(web.url, 'push', payload, { secret, id: first.id });
		expect(third.status).toBe(200);
		expect(await runGithubJobs(t.db, deps)).toBe(0);
		expect((await deploymentsOf()).filter((d) => d.branch === 'replayed')).toHaveLength(1);
	});
});

/** Delivers, runs the worker's github_event jobs, and returns the deployment rows. */
async function push(payload: unknown) {
	const reply = await deliver(web.url, 'push', payload, { secret });
	expect(reply.status).toBe(202);
	await runGithubJobs(t.db, deps);
	return deploymentsOf();
}

describe('push', () => {
	it('queues a deployment of the pushed branch and commit in its environment', async () => {
		const sha = 'a'.repeat(40);
		const rows = await push(pushExample({ after: sha, message: 'Ship the header' }));
		expect(rows.at(-1)).toMatchObject({
			branch: 'master',
			trigger: 'push',
			state: 'queued',
			commit_sha: sha,
			commit_message: 'Ship the header',
			environment: 'production'
		});
		const [job] = await t.db.execute<{ n: number }>(
			sql`select count(*)::int as n from graphile_worker.jobs where key = ${`deploy:${projectId}:master`}`
		);
		expect(job.n).toBe(1);
	});

	it('takes a commit message with a NUL character (Postgres text cannot store one)', async () => {
		const rows = await push(
			pushExample({ ref: 'refs/heads/nul', after: 'b'.repeat(40), message: 'Odd\u0000 bytes' })
		);
		expect(rows.at(-1)).toMatchObject({
			branch: 'nul',
			state: 'queued',
			commit_message: 'Odd bytes'
		});
	});

	it('records [skip deploy] as skipped, saying why', async () => {
		const rows = await push(
			pushExample({ ref: 'refs/heads/docs', message: 'Fix typo [skip deploy]' })
		);
		expect(rows.at(-1)).toMatchObject({
			branch: 'docs',
			state: 'skipped',
			failure_reason: expect.stringMatching(/\[skip deploy\]/)
		});
	});

	it('ignores tags and repositories no project uses', async () => {
		const before = (await deploymentsOf()).length;
		await push(examplePayload('push', (e) => String(e.ref).startsWith('refs/tags/') && !e.deleted));
		const other = pushExample({ ref: 'refs/heads/elsewhere' });
		(other as unknown as { repository: { id: number } }).repository.id = 999_999;
		await push(other);
		expect((await deploymentsOf()).length).toBe(before);
	});

	it("takes a deleted branch's preview down, leaving production alone", async () => {
		const [project] = await t.db.execute<{ slug: string }>(
			sql`select slug from projects where id = ${projectId}`
		);
		await t.db.execute(sql`insert into aliases (project_id, kind, key, label)
			values (${projectId}, 'branch', 'gone', ${`${project.slug}-branch-gone`})`);
		await push(pushExample({ ref: 'refs/heads/gone', message: 'Work in progress' }));
		expect((await deploymentsOf()).at(-1)).toMatchObject({ branch: 'gone', state: 'queued' });

		const deleted = examplePayload<{ ref: string }>(
			'push',
			(e) => e.deleted === true && (e as { installation?: unknown }).installation !== undefined
		);
		deleted.ref = 'refs/heads/gone';
		await push(deleted);
		const aliases = await t.db.execute<{ kind: string; key: string }>(
			sql`select kind, key from aliases where project_id = ${projectId} order by kind`
		);
		expect(aliases).toContainEqual({ kind: 'production', key: '' });
		expect(aliases).not.toContainEqual({ kind: 'branch', key: 'gone' });
		// The queued deployment would have brought the preview back: it is skipped instead.
		expect((await deploymentsOf()).find((d) => d.branch === 'gone')).toMatchObject({
			state: 'skipped',
			failure_reason: 'The branch gone was deleted on GitHub.'
		});
	});
});

describe('a retried job (it failed after deploying, before marking the delivery done)', () => {
	it('deploys a push or a pull request commit once, not twice', async () => {
		const receivedAt = new Date(Date.now() - 1000);
		const sha = 'c'.repeat(40);
		const payload = pushExample({ ref: 'refs/heads/retry', after: sha, message: 'Once' });
		await handlePush(deps, payload as PushPayload, receivedAt);
		await handlePush(deps, payload as PushPayload, receivedAt);
		expect((await deploymentsOf()).filter((d) => d.commit_sha === sha)).toHaveLength(1);

		const pr = examplePayload<PullRequestPayload>(
			'pull_request',
			(e) => e.action === 'opened' && (e as { installation?: unknown }).installation !== undefined
		);
		const prSha = 'd'.repeat(40);
		pr.pull_request.head.sha = prSha;
		await handlePullRequest(deps, pr, receivedAt);
		await handlePullRequest(deps, pr, receivedAt);
		expect((await deploymentsOf()).filter((d) => d.commit_sha === prSha)).toHaveLength(1);
	});
});
