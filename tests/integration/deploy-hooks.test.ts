import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/lib/server/auth/tokens.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { createGitRepo, removeGitRepos, sampleApps } from '../helpers/git-repo.ts';
import { startWeb, type RunningProcess } from '../helpers/server.ts';
import { makeUser } from '../helpers/world.ts';

// Needs a current build: `npx vite build` (startWeb runs `node build`).

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let web: RunningProcess;
let alice: Awaited<ReturnType<typeof makeUser>>;
let scope: { teamSlug: string; projectSlug: string };
let projectId: string;

beforeAll(async () => {
	t = await createTestDatabase('deploy_hooks');
	alice = await makeUser(t.db, 'Alice');
	const repo = await createGitRepo({ files: sampleApps.node });
	const project = await alice.caller.projects.create({
		teamSlug: alice.team.slug,
		name: 'Hooked',
		repoUrl: repo.path
	});
	projectId = project.id;
	scope = { teamSlug: alice.team.slug, projectSlug: project.slug };
	web = await startWeb(t.url, { SLIPWAY_ALLOW_LOCAL_GIT: '1' });
});
afterAll(async () => {
	await web?.stop();
	await removeGitRepos();
	await t.drop();
});

const post = (path: string, init: RequestInit = {}) =>
	fetch(`${web.url}${path}`, { method: 'POST', ...init });

const deployments = () =>
	t.db.execute<{
		id: string;
		branch: string;
		trigger: string;
		state: string;
		created_by: string | null;
	}>(sql`select id, branch, trigger, state, created_by from deployments order by created_at`);
const deployJobs = async () =>
	(
		await t.db.execute<{ n: number }>(
			sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'deploy'`
		)
	)[0].n;

/** A refused trigger: JSON with a reason, and no deployment or job created. */
async function expectRefused(path: string, status: number, error: RegExp, init?: RequestInit) {
	const before = [(await deployments()).length, await deployJobs()];
	const response = await post(path, init);
	expect(response.status).toBe(status);
	expect(response.headers.get('content-type')).toMatch(/application\/json/);
	expect(await response.json()).toMatchObject({ error: expect.stringMatching(error) });
	expect([(await deployments()).length, await deployJobs()]).toEqual(before);
}

describe('creating a hook', () => {
	it('shows the secret URL once and stores only its SHA-256', async () => {
		const hook = await alice.caller.deployHooks.create({ ...scope, name: 'CI' });
		expect(hook).toMatchObject({ name: 'CI', branch: null });
		expect(hook.path).toMatch(/^\/api\/hooks\/deploy\/slh_[a-z2-7]{32}$/);
		const token = hook.path.split('/').pop()!;

		const rows = await t.db.execute<Record<string, unknown>>(
			sql`select * from deploy_hooks where id = ${hook.id}`
		);
		expect(rows[0].token_hash).toBe(hashToken(token));
		expect(JSON.stringify(rows)).not.toContain(token);

		const details = await alice.caller.projects.get(scope);
		expect(details.deployHooks).toEqual([
			{ id: hook.id, name: 'CI', branch: null, createdAt: expect.any(Date) }
		]);
		expect(JSON.stringify(details)).not.toContain(token);
		expect(JSON.stringify(details)).not.toContain(hashToken(token));
	});

	it('refuses a hook branch git would refuse', async () => {
		await expect(
			alice.caller.deployHooks.create({ ...scope, name: 'Bad', branch: 'two words' })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/cannot contain spaces/)
		});
		expect((await alice.caller.projects.get(scope)).deployHooks.map((h) => h.name)).not.toContain(
			'Bad'
		);
	});
});

describe('triggering a deploy over HTTP', () => {
	it('answers 202 and queues a deployment of the production branch', async () => {
		const hook = await alice.caller.deployHooks.create({ ...scope, name: 'Trigger' });
		const response = await post(hook.path);
		expect(response.status).toBe(202);
		const body = await response.json();
		expect(body).toEqual({ id: expect.any(String), state: 'queued', branch: 'main' });
		const row = (await deployments()).find((d) => d.id === body.id);
		expect(row).toMatchObject({ trigger: 'deploy_hook', state: 'queued', created_by: null });
		const [job] = await t.db.execute<{ queue: string; key: string }>(
			sql`select queue_name as queue, key from graphile_worker.jobs where key = ${`deploy:${projectId}:main`}`
		);
		expect(job).toEqual({ queue: `project:${projectId}`, key: `deploy:${projectId}:main` });
	});

	it('deploys the branch given by ?branch=, or the branch of the hook', async () => {
		const hook = await alice.caller.deployHooks.create({ ...scope, name: 'Any branch' });
		const asked = await post(`${hook.path}?branch=${encodeURIComponent('release/1.2')}`);
		expect(asked.status).toBe(202);
		expect(await asked.json()).toMatchObject({ branch: 'release/1.2', state: 'queued' });

		const pinned = await alice.caller.deployHooks.create({
			...scope,
			name: 'Staging',
			branch: 'staging'
		});
		expect(pinned.branch).toBe('staging');
		const response = await post(pinned.path);
		expect(response.status).toBe(202);
		expect(await response.json()).toMatchObject({ branch: 'staging' });
	});

	it('works for a CI that posts a form body without an Origin (curl -d)', async () => {
		const hook = await alice.caller.deployHooks.create({ ...scope, name: 'curl' });
		const response = await post(hook.path, {
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: ''
		});
		expect(
			response.status,
			`curl -d gets ${response.status}: ${await response.clone().text()}`
		).toBe(202);
	});

	it('refuses a bad ?branch= with a reason, creating nothing', async () => {
		const hook = await alice.caller.deployHooks.create({ ...scope, name: 'Strict' });
		await expectRefused(
			`${hook.path}?branch=${encodeURIComponent('two words')}`,
			400,
			/Branch names cannot contain spaces/
		);
		await expectRefused(`${hook.path}?branch=${encodeURIComponent('fëature')}`, 400, /ASCII/);
	});

	it('answers an unknown token with a JSON 404, creating nothing', async () => {
		await expectRefused(`/api/hooks/deploy/slh_${'a'.repeat(32)}`, 404, /Deploy hook not found/);
		await expectRefused('/api/hooks/deploy/not-a-hook-token', 404, /Deploy hook not found/);
		await expectRefused(`/api/hooks/deploy/slh_${'b'.repeat(500)}`, 404, /Deploy hook not found/);
	});

	it('stops the old URL when the hook is rotated, and every URL when it is deleted', async () => {
		const hook = await alice.caller.deployHooks.create({ ...scope, name: 'Rotating' });
		const rotated = await alice.caller.deployHooks.rotate({ ...scope, id: hook.id });
		expect(rotated).toMatchObject({ id: hook.id, name: 'Rotating' });
		expect(rotated.path).toMatch(/^\/api\/hooks\/deploy\/slh_/);
		expect(rotated.path).not.toBe(hook.path);

		await expectRefused(hook.path, 404, /Deploy hook not found/);
		expect((await post(rotated.path)).status).toBe(202);

		await alice.caller.deployHooks.delete({ ...scope, id: hook.id });
		await expectRefused(rotated.path, 404, /Deploy hook not found/);
		await expect(alice.caller.deployHooks.rotate({ ...scope, id: hook.id })).rejects.toMatchObject({
			code: 'NOT_FOUND',
			message: 'Deploy hook not found.'
		});
	});

	it('says why when the branch has nowhere to deploy', async () => {
		const hook = await alice.caller.deployHooks.create({ ...scope, name: 'No previews' });
		await alice.caller.projects.update({
			...scope,
			productionBranch: 'main',
			previewsEnabled: false
		});
		await expectRefused(
			`${hook.path}?branch=feature/x`,
			400,
			/matches no environment and preview deployments are off/
		);
		expect((await post(hook.path)).status).toBe(202);
	});
});
