import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projects, teamMembers } from '../../src/lib/server/db/schema/index.ts';
import { cloneUrl } from '../../src/lib/server/github/clone.ts';
import { removeProjectResources } from '../../src/lib/server/deployments/cleanup.ts';
import { runDeployment } from '../../src/lib/server/deployments/pipeline/run.ts';
import { inspectContainer } from '../../src/lib/server/docker/containers.ts';
import { setEnvVar } from '../../src/lib/server/env-vars/store.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { pipelineDeps, projectFromFixture, readDeployment } from '../helpers/deploy.ts';
import { seedGithubApp } from '../helpers/fake-github/seed.ts';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github/server.ts';
import { removeGitRepos, type GitRepo } from '../helpers/git-repo.ts';
import {
	deliver,
	EXAMPLE_REPO,
	examplePayload,
	linkRepository,
	runGithubJobs
} from '../helpers/github-webhooks.ts';
import { startWeb, type RunningProcess } from '../helpers/server.ts';
import { codeOf, makeUser, testKeyring } from '../helpers/world.ts';

// Pull request previews end to end: signed payload → real endpoint → worker task → Docker.
// Needs a current build: `SLIPWAY_BUILD_DIR=build-x npx vite build`.

const run = promisify(execFile);

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let web: RunningProcess;
let fake: FakeGithub;
let ctx: ReturnType<typeof pipelineDeps>;
let alice: Awaited<ReturnType<typeof makeUser>>;
let vera: Awaited<ReturnType<typeof makeUser>>;
let repo: GitRepo;
let project: { id: string; slug: string };
let scope: { teamSlug: string; projectSlug: string };

beforeAll(async () => {
	t = await createTestDatabase('gh_previews');
	fake = await startFakeGithub();
	await seedGithubApp(t.db, fake);
	ctx = pipelineDeps(t.db);
	alice = await makeUser(t.db, 'Alice');
	vera = await makeUser(t.db, 'Vera');
	await t.db
		.insert(teamMembers)
		.values({ teamId: alice.team.id, userId: vera.user.id, role: 'viewer' });
	const made = await projectFromFixture({
		db: t.db,
		teamId: alice.team.id,
		userId: alice.user.id,
		app: 'static-site'
	});
	repo = made.repo;
	project = made.project;
	scope = { teamSlug: alice.team.slug, projectSlug: project.slug };
	// The project deploys the repository from (fake) GitHub with an installation token.
	fake.addInstallation({
		id: 1,
		account: { login: 'Codertocat', id: 21031067, type: 'User' },
		repos: [{ ...EXAMPLE_REPO, private: true, defaultBranch: 'main', gitPath: repo.path }]
	});
	await t.db
		.update(projects)
		.set({ sourceKind: 'github', repoUrl: cloneUrl({ webUrl: fake.url }, EXAMPLE_REPO.fullName) })
		.where(eq(projects.id, project.id));
	await linkRepository(t.db, {
		projectId: project.id,
		installationId: 1,
		repoId: EXAMPLE_REPO.id,
		fullName: EXAMPLE_REPO.fullName
	});
	for (const [key, value, isSecret] of [
		['API_TOKEN', 'tok_live_do_not_leak', true],
		['GREETING', 'hello', false]
	] as const) {
		await setEnvVar({
			db: t.db,
			keyring: testKeyring,
			projectId: project.id,
			scope: { environmentId: null, branch: null },
			key,
			value,
			isSecret,
			isBuildTime: false
		});
	}
	web = await startWeb(t.url, { SLIPWAY_ALLOW_LOCAL_GIT: '1' });
});
afterAll(async () => {
	ctx?.collector.stopAll();
	await web?.stop();
	await fake?.close();
	if (project) await removeProjectResources({ projectId: project.id, projectSlug: project.slug });
	await removeGitRepos();
	await t.drop();
});

type PrPayload = {
	number: number;
	pull_request: {
		number: number;
		head: { ref: string; sha: string; repo: { id: number; full_name: string; clone_url: string } };
	};
};

/** A recorded pull_request event of Codertocat/Hello-World, patched to our commit. */
function prEvent(
	action: string,
	number: number,
	head: { ref: string; sha: string; forkId?: number }
) {
	const p = examplePayload<PrPayload>(
		'pull_request',
		(e) => e.action === action && (e as { installation?: unknown }).installation !== undefined
	);
	p.number = number;
	p.pull_request.number = number;
	p.pull_request.head.ref = head.ref;
	p.pull_request.head.sha = head.sha;
	if (head.forkId) {
		p.pull_request.head.repo.id = head.forkId;
		p.pull_request.head.repo.full_name = 'mallory/Hello-World';
		p.pull_request.head.repo.clone_url = 'https://github.com/mallory/Hello-World.git';
	}
	return p;
}

async function send(payload: unknown) {
	const reply = await deliver(web.url, 'pull_request', payload, {
		secret: fake.state.app.webhookSecret
	});
	expect(reply.status).toBe(202);
	await runGithubJobs(t.db, ctx.deps);
}

const prDeployments = (number: number) =>
	t.db.execute<{ id: string; state: string; commit_sha: string; trigger: string }>(
		sql`select id, state, commit_sha, trigger from deployments
			where project_id = ${project.id} and pull_request = ${number} order by created_at`
	);
const aliasOf = async (number: number) =>
	(
		await t.db.execute<{ label: string; deployment_id: string | null }>(
			sql`select label, deployment_id from aliases
				where project_id = ${project.id} and kind = 'pull_request' and key = ${String(number)}`
		)
	)[0];
const containerEnv = async (containerId: string) =>
	JSON.parse(
		(await run('docker', ['inspect', '--format', '{{json .Config.Env}}', containerId])).stdout
	) as string[];

describe('pull request previews', { timeout: 300_000 }, () => {
	it('deploys an opened pull request at <project>-pr-<n>, and takes it down when closed', async () => {
		const sha = await repo.commit({ files: { 'index.html': '<h1>PR 2</h1>' }, branch: 'changes' });
		await send(prEvent('opened', 2, { ref: 'changes', sha }));
		const [queued] = await prDeployments(2);
		expect(queued).toMatchObject({ state: 'queued', commit_sha: sha, trigger: 'pull_request' });

		await runDeployment(ctx.deps, { deploymentId: queued.id });
		const ready = await readDeployment(t.db, queued.id);
		expect(ready.state, ready.logText).toBe('ready');
		expect(await aliasOf(2)).toEqual({ label: `${project.slug}-pr-2`, deployment_id: ready.id });
		// A pull request from the repository itself runs with the project's variables, secrets too.
		expect(await containerEnv(ready.containerId!)).toContain('API_TOKEN=tok_live_do_not_leak');

		await send(prEvent('closed', 2, { ref: 'changes', sha }));
		expect(await aliasOf(2)).toBeUndefined();
		expect((await inspectContainer(ready.containerId!)).exists).toBe(false);
		expect((await readDeployment(t.db, ready.id)).stoppedAt).not.toBeNull();
	});

	it('holds a fork pull request for a member, then deploys it without secret variables', async () => {
		// GitHub serves a fork's commits from the base repository under refs/pull/<n>/head.
		const forkSha = await repo.commit({
			files: { 'index.html': '<h1>From a fork</h1>' },
			branch: 'fork-work'
		});
		await run('git', ['update-ref', 'refs/pull/7/head', forkSha], { cwd: repo.path });
		await run('git', ['branch', '-D', 'fork-work'], { cwd: repo.path });

		await send(prEvent('opened', 7, { ref: 'patch-1', sha: forkSha, forkId: 555 }));
		expect(await prDeployments(7)).toEqual([]);
		const [pending] = await vera.caller.pullRequests.list(scope);
		expect(pending).toMatchObject({
			number: 7,
			headSha: forkSha,
			headRepoFullName: 'mallory/Hello-World',
			approvedAt: null
		});

		const approve = { ...scope, number: 7, headSha: forkSha };
		expect(await codeOf(vera.caller.pullRequests.approve(approve))).toBe('FORBIDDEN');
		await expect(
			alice.caller.pullRequests.approve({ ...approve, headSha: 'e'.repeat(40) })
		).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/newer commit/) });
		expect(await prDeployments(7)).toEqual([]);

		const deployment = await alice.caller.pullRequests.approve(approve);
		expect(deployment).toMatchObject({
			pullRequest: 7,
			commitSha: forkSha,
			trigger: 'pull_request'
		});
		expect(deployment.configSnapshot).toMatchObject({ secretsWithheld: true });
		await runDeployment(ctx.deps, { deploymentId: deployment.id });
		const ready = await readDeployment(t.db, deployment.id);
		expect(ready.state, ready.logText).toBe('ready');
		expect(ready.logText).toMatch(/secret variables are withheld/);
		const env = await containerEnv(ready.containerId!);
		expect(env).toContain('GREETING=hello');
		expect(env.join('\n')).not.toContain('tok_live_do_not_leak');
		expect((await alice.caller.pullRequests.list(scope))[0].approvedByName).toBe('Alice');

		// A new push to the fork needs a new approval: nothing deploys by itself.
		await send(prEvent('synchronize', 7, { ref: 'patch-1', sha: 'c'.repeat(40), forkId: 555 }));
		expect(await prDeployments(7)).toHaveLength(1);
		expect((await alice.caller.pullRequests.list(scope))[0]).toMatchObject({
			headSha: 'c'.repeat(40),
			approvedAt: null
		});

		await send(prEvent('closed', 7, { ref: 'patch-1', sha: 'c'.repeat(40), forkId: 555 }));
		expect(await aliasOf(7)).toBeUndefined();
		expect((await inspectContainer(ready.containerId!)).exists).toBe(false);
		expect(await alice.caller.pullRequests.list(scope)).toEqual([]);
	});
});
