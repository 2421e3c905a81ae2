import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db.ts';
import { createGitRepo, removeGitRepos, sampleApps, type GitRepo } from '../helpers/git-repo.ts';
import { makeUser } from '../helpers/world.ts';

// No Docker here: these only create rows and queue jobs; no worker runs them.

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let alice: Awaited<ReturnType<typeof makeUser>>;
let repo: GitRepo;

beforeAll(async () => {
	t = await createTestDatabase('deployments');
	alice = await makeUser(t.db, 'Alice');
	repo = await createGitRepo({ files: sampleApps.node });
	await repo.commit({ files: { 'server.js': '// v2\n' }, message: 'Second commit' });
});
afterAll(async () => {
	await removeGitRepos();
	await t.drop();
});

type Job = {
	task: string;
	queue: string | null;
	key: string | null;
	payload: { deploymentId?: string; projectId?: string };
	maxAttempts: number;
};

/** graphile's public view has no payload; it lives in the private table. */
async function jobs(task = 'deploy'): Promise<Job[]> {
	return t.db.execute<Job>(sql`
		select j.task_identifier as task, j.queue_name as queue, j.key, p.payload,
			j.max_attempts as "maxAttempts"
		from graphile_worker.jobs j join graphile_worker._private_jobs p on p.id = j.id
		where j.task_identifier = ${task}
		order by j.id`);
}

async function deploymentCount() {
	return (await t.db.execute<{ n: number }>(sql`select count(*)::int as n from deployments`))[0].n;
}

let counter = 0;
async function newProject(input: Record<string, unknown> = {}) {
	const project = await alice.caller.projects.create({
		teamSlug: alice.team.slug,
		name: `Deploy ${++counter}`,
		repoUrl: repo.path,
		...input
	});
	const scope = { teamSlug: alice.team.slug, projectSlug: project.slug };
	const details = await alice.caller.projects.get(scope);
	const production = details.environments.find((e) => e.isProduction)!;
	return { project, scope, production };
}

const get = (id: string) =>
	alice.caller.deployments.get({ teamSlug: alice.team.slug, deploymentId: id });

describe('creating a deployment', () => {
	it('records a queued deployment of the production branch and queues its deploy job', async () => {
		const { project, scope, production } = await newProject();
		const deployment = await alice.caller.deployments.create(scope);
		expect(deployment).toMatchObject({
			projectId: project.id,
			state: 'queued',
			branch: 'main',
			trigger: 'manual',
			environmentId: production.id,
			createdBy: alice.user.id,
			configSnapshot: expect.objectContaining({
				projectSlug: project.slug,
				port: 8000,
				environment: 'production',
				alias: { kind: 'production' }
			})
		});
		const queued = (await jobs()).filter((j) => j.payload.deploymentId === deployment.id);
		expect(queued).toEqual([
			{
				task: 'deploy',
				queue: `project:${project.id}`,
				key: `deploy:${project.id}:main`,
				payload: { deploymentId: deployment.id },
				maxAttempts: 1
			}
		]);

		expect(await get(deployment.id)).toMatchObject({
			id: deployment.id,
			state: 'queued',
			project: { id: project.id, slug: project.slug }
		});
		const listed = await alice.caller.deployments.list(scope);
		expect(listed.map((d) => d.id)).toEqual([deployment.id]);
		const projects = await alice.caller.projects.list({ teamSlug: alice.team.slug });
		expect(projects.find((p) => p.id === project.id)?.latestDeployment).toMatchObject({
			id: deployment.id,
			state: 'queued'
		});
	});

	it('never returns the sealed env snapshot', async () => {
		const { scope } = await newProject();
		const created = await alice.caller.deployments.create(scope);
		const redeployed = await alice.caller.deployments.redeploy({
			teamSlug: alice.team.slug,
			deploymentId: created.id
		});
		const responses = {
			create: created,
			redeploy: redeployed,
			get: await get(created.id),
			list: await alice.caller.deployments.list(scope)
		};
		const leaking = Object.entries(responses)
			.filter(([, response]) => JSON.stringify(response).includes('envSnapshotSealed'))
			.map(([name]) => name);
		expect(leaking, 'procedures whose response carries envSnapshotSealed').toEqual([]);
	});

	it('supersedes a queued deployment of the same branch: it ends skipped, one job remains', async () => {
		const { project, scope } = await newProject();
		const first = await alice.caller.deployments.create(scope);
		const other = await alice.caller.deployments.create({ ...scope, branch: 'feature/a' });
		const second = await alice.caller.deployments.create(scope);

		expect(await get(first.id)).toMatchObject({
			state: 'skipped',
			failureReason: expect.stringMatching(/superseded/i),
			finishedAt: expect.any(Date)
		});
		expect((await get(second.id)).state).toBe('queued');
		// Another branch is not affected.
		expect((await get(other.id)).state).toBe('queued');

		const mainJobs = (await jobs()).filter((j) => j.key === `deploy:${project.id}:main`);
		expect(mainJobs.map((j) => j.payload)).toEqual([{ deploymentId: second.id }]);
		const projectJobs = (await jobs()).filter((j) => j.queue === `project:${project.id}`);
		expect(projectJobs).toHaveLength(2);
	});

	it('leaves one queued deployment with one job when pushes to a branch arrive at once', async () => {
		const { project, scope } = await newProject();
		const branches = ['race/1', 'race/2', 'race/3', 'race/4', 'race/5'];
		const outcome: Record<string, { queued: number; jobs: number; jobIsQueued: boolean }> = {};
		for (const branch of branches) {
			const created = await Promise.all(
				[1, 2, 3, 4].map(() => alice.caller.deployments.create({ ...scope, branch }))
			);
			const states = await Promise.all(created.map(async (d) => (await get(d.id)).state));
			const branchJobs = (await jobs()).filter((j) => j.key === `deploy:${project.id}:${branch}`);
			const queuedIds = created.filter((_, i) => states[i] === 'queued').map((d) => d.id);
			outcome[branch] = {
				queued: queuedIds.length,
				jobs: branchJobs.length,
				jobIsQueued: queuedIds.includes(branchJobs[0]?.payload.deploymentId ?? '')
			};
		}
		// A queued deployment without a job would never start.
		expect(
			outcome,
			'deployments left queued by simultaneous creates of one branch (only one of them has a job)'
		).toEqual(
			Object.fromEntries(branches.map((b) => [b, { queued: 1, jobs: 1, jobIsQueued: true }]))
		);
	});

	it('deploys a given commit, and refuses one that is not a full SHA', async () => {
		const { scope } = await newProject();
		const pinned = await alice.caller.deployments.create({ ...scope, commitSha: repo.commits[0] });
		expect(pinned).toMatchObject({ commitSha: repo.commits[0], branch: 'main' });

		const before = [await deploymentCount(), (await jobs()).length];
		await expect(
			alice.caller.deployments.create({ ...scope, commitSha: repo.commits[0].slice(0, 7) })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: 'A commit is a full 40-character SHA.'
		});
		await expect(
			alice.caller.deployments.create({ ...scope, branch: 'two words' })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/Branch names cannot contain spaces/)
		});
		expect([await deploymentCount(), (await jobs()).length]).toEqual(before);
	});
});

describe('cancel and redeploy', () => {
	it('cancels a queued deployment once; a second cancel is a conflict with a reason', async () => {
		const { scope } = await newProject();
		const deployment = await alice.caller.deployments.create(scope);
		const input = { teamSlug: alice.team.slug, deploymentId: deployment.id };
		expect(await alice.caller.deployments.cancel(input)).toEqual({ ok: true });
		expect(await get(deployment.id)).toMatchObject({
			state: 'canceled',
			failureReason: 'Canceled by a team member.',
			finishedAt: expect.any(Date)
		});
		const logs = await alice.caller.deployments.logs(input);
		expect(logs.map((l) => [l.stream, l.line])).toContainEqual(['platform', 'Cancel requested.']);

		await expect(alice.caller.deployments.cancel(input)).rejects.toMatchObject({
			code: 'CONFLICT',
			message: 'Deployment is already canceled, so it cannot be canceled.'
		});
		expect((await get(deployment.id)).state).toBe('canceled');
	});

	it('refuses to cancel a deployment that was superseded', async () => {
		const { scope } = await newProject();
		const first = await alice.caller.deployments.create(scope);
		await alice.caller.deployments.create(scope);
		await expect(
			alice.caller.deployments.cancel({ teamSlug: alice.team.slug, deploymentId: first.id })
		).rejects.toMatchObject({
			code: 'CONFLICT',
			message: expect.stringMatching(/already skipped/)
		});
	});

	it('redeploys the same branch and commit with the current settings', async () => {
		const { scope } = await newProject();
		const original = await alice.caller.deployments.create({
			...scope,
			branch: 'main',
			commitSha: repo.commits[0]
		});
		await alice.caller.deployments.cancel({ teamSlug: alice.team.slug, deploymentId: original.id });
		await alice.caller.projects.update({ ...scope, productionBranch: 'main', port: 3000 });

		const again = await alice.caller.deployments.redeploy({
			teamSlug: alice.team.slug,
			deploymentId: original.id
		});
		expect(again.id).not.toBe(original.id);
		expect(again).toMatchObject({
			branch: 'main',
			commitSha: repo.commits[0],
			trigger: 'redeploy',
			state: 'queued',
			environmentId: original.environmentId,
			configSnapshot: expect.objectContaining({ port: 3000 })
		});
		expect((await get(original.id)).configSnapshot).toMatchObject({ port: 8000 });
		expect((await jobs()).map((j) => j.payload.deploymentId)).toContain(again.id);
	});
});

describe('where a branch deploys', () => {
	it('routes branches by environment pattern, first match first, the rest to previews', async () => {
		const { scope, production } = await newProject();
		const staging = await alice.caller.environments.create({
			...scope,
			name: 'Staging',
			branchPattern: 'release/*'
		});
		const late = await alice.caller.environments.create({
			...scope,
			name: 'Release Two',
			branchPattern: 'release/2*'
		});
		const hotfix = await alice.caller.environments.create({
			...scope,
			name: 'Hotfix',
			branchPattern: '*-hotfix'
		});
		const where = async (branch: string) => {
			const d = await alice.caller.deployments.create({ ...scope, branch });
			return {
				environmentId: d.environmentId,
				alias: (d.configSnapshot as { alias: unknown }).alias
			};
		};

		expect(await where('main')).toEqual({
			environmentId: production.id,
			alias: { kind: 'production' }
		});
		expect(await where('release/1.4')).toEqual({
			environmentId: staging.id,
			alias: { kind: 'environment', environmentSlug: 'staging' }
		});
		// release/2.0 matches both patterns: Staging was created first, so it wins.
		expect((await where('release/2.0')).environmentId).toBe(staging.id);
		expect((await where('login-hotfix')).environmentId).toBe(hotfix.id);
		expect(await where('feature/x')).toEqual({
			environmentId: null,
			alias: { kind: 'branch', branch: 'feature/x' }
		});

		await alice.caller.environments.delete({ ...scope, id: staging.id });
		expect((await where('release/2.1')).environmentId).toBe(late.id);
		await alice.caller.environments.update({ ...scope, id: hotfix.id, branchPattern: 'hotfix/*' });
		expect((await where('hotfix/login')).environmentId).toBe(hotfix.id);
		expect((await where('other-hotfix')).environmentId).toBeNull();
	});

	it('refuses a branch that matches no environment while previews are off, creating nothing', async () => {
		const { scope } = await newProject({ previewsEnabled: false });
		await alice.caller.environments.create({
			...scope,
			name: 'Staging',
			branchPattern: 'release/*'
		});
		const before = [await deploymentCount(), (await jobs()).length];
		await expect(
			alice.caller.deployments.create({ ...scope, branch: 'feature/x' })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message:
				'Branch feature/x matches no environment and preview deployments are off. Turn previews on or add an environment for it.'
		});
		expect([await deploymentCount(), (await jobs()).length]).toEqual(before);
		// A branch with an environment still deploys.
		expect((await alice.caller.deployments.create({ ...scope, branch: 'release/1' })).state).toBe(
			'queued'
		);
	});

	it('keeps Production and refuses unusable environments with a reason', async () => {
		const { scope, production } = await newProject();
		await expect(
			alice.caller.environments.delete({ ...scope, id: production.id })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: 'Production is always there; it cannot be deleted.'
		});
		await expect(
			alice.caller.environments.create({ ...scope, name: 'Production', branchPattern: 'prod' })
		).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/reserved/) });
		await expect(
			alice.caller.environments.create({ ...scope, name: 'QA', branchPattern: 'qa/*/x*' })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/at most one \*/)
		});
		await expect(
			alice.caller.environments.create({ ...scope, name: 'QA', branchPattern: 'qa branch' })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/cannot contain spaces/)
		});
		await alice.caller.environments.create({ ...scope, name: 'QA', branchPattern: 'qa' });
		await expect(
			alice.caller.environments.create({ ...scope, name: 'QA', branchPattern: 'qa2' })
		).rejects.toMatchObject({
			code: 'CONFLICT',
			message: 'This project already has an environment called QA.'
		});
		const { environments } = await alice.caller.projects.get(scope);
		expect(environments.map((e) => [e.name, e.branchPattern])).toEqual([
			['Production', null],
			['QA', 'qa']
		]);
		// Production follows the production branch: say so, rather than "not found".
		await expect(
			alice.caller.environments.update({ ...scope, id: production.id, branchPattern: 'prod/*' })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/production branch/i)
		});
	});
});
