import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, validateApiToken } from '../../src/lib/server/auth/api-tokens.ts';
import {
	githubInstallations,
	teamGithubInstallations,
	teamMembers
} from '../../src/lib/server/db/schema/index.ts';
import { createCaller } from '../../src/lib/server/trpc/router.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { createGitRepo, removeGitRepos, sampleApps } from '../helpers/git-repo.ts';
import {
	assertEveryProcedureCovered,
	expectAllNotFound,
	type Foreign
} from '../helpers/isolation.ts';
import { codeOf, makeUser, testConfig, testKeyring } from '../helpers/world.ts';
import { carriesRowId, cases, teamOnly } from './isolation-cases.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let a: Awaited<ReturnType<typeof makeUser>>;
let b: Awaited<ReturnType<typeof makeUser>>;
let foreign: Foreign;
let aliceProject: string;

/** Every row of team B's project, and the queue: none of it may change under an outsider. */
async function dataOfB() {
	const project = foreign.ids.projectId;
	const [row] = await t.db.execute(sql`select
		(select json_agg(p) from projects p where p.team_id = ${b.team.id}) as projects,
		(select json_agg(e order by e.id) from environments e where e.project_id = ${project}) as environments,
		(select json_agg(v order by v.id) from env_vars v where v.project_id = ${project}) as env_vars,
		(select json_agg(h order by h.id) from deploy_hooks h where h.project_id = ${project}) as hooks,
		(select json_agg(d order by d.id) from deployments d where d.project_id = ${project}) as deployments,
		(select json_agg(a order by a.id) from aliases a where a.project_id = ${project}) as aliases,
		(select json_agg(r order by r.id) from pull_request_approvals r where r.project_id = ${project}) as fork_prs,
		(select count(*)::int from deployment_logs) as logs,
		(select count(*)::int from graphile_worker.jobs) as jobs,
		(select count(*)::int from projects) as all_projects`);
	return row;
}

beforeAll(async () => {
	t = await createTestDatabase('isolation');
	a = await makeUser(t.db, 'Alice');
	b = await makeUser(t.db, 'Bob');
	const token = await createApiToken({
		db: t.db,
		userId: b.user.id,
		teamId: b.team.id,
		name: 'ci'
	});

	const repo = await createGitRepo({ files: sampleApps.node });
	const project = await b.caller.projects.create({
		teamSlug: b.team.slug,
		name: 'Bob Site',
		repoUrl: repo.path
	});
	const scope = { teamSlug: b.team.slug, projectSlug: project.slug };
	const environment = await b.caller.environments.create({
		...scope,
		name: 'Staging',
		branchPattern: 'release/*'
	});
	const envVar = await b.caller.envVars.set({
		...scope,
		environmentId: environment.id,
		key: 'DATABASE_URL',
		value: 'postgres://bob:secret@db/bob',
		isSecret: true
	});
	await b.caller.envVars.set({ ...scope, key: 'GREETING', value: 'hello from Bob' });
	const hook = await b.caller.deployHooks.create({ ...scope, name: 'CI' });
	const deployment = await b.caller.deployments.create({
		...scope,
		branch: 'main',
		commitSha: repo.commits[0]
	});
	// Team B's GitHub installation (linked to B only) for the github.* cases.
	await t.db
		.insert(githubInstallations)
		.values({ id: 4242, accountLogin: 'bob-gh', accountType: 'User' });
	await t.db
		.insert(teamGithubInstallations)
		.values({ teamId: b.team.id, installationId: 4242, addedBy: b.user.id });
	// A fork's pull request waiting for B's approval (what a pull_request webhook records).
	const forkSha = 'f'.repeat(40);
	await t.db.execute(sql`insert into pull_request_approvals
		(project_id, number, head_sha, head_ref, head_repo_full_name, head_clone_url, title)
		values (${project.id}, 7, ${forkSha}, 'patch-1', 'mallory/fork', '', 'Harmless fix')`);
	foreign = {
		teamSlug: b.team.slug,
		teamId: b.team.id,
		ids: {
			token: token.id,
			repo: repo.path,
			project: project.slug,
			projectId: project.id,
			projectName: project.name,
			environment: environment.id,
			envVar: envVar.id,
			hook: hook.id,
			deployment: deployment.id,
			installation: '4242',
			forkSha
		}
	};

	const own = await createGitRepo({ files: sampleApps.static });
	aliceProject = (
		await a.caller.projects.create({ teamSlug: a.team.slug, name: 'Alice Site', repoUrl: own.path })
	).slug;
});
afterAll(async () => {
	await removeGitRepos();
	await t.drop();
});

describe('team isolation', () => {
	it('has an isolation case for every procedure', () => {
		assertEveryProcedureCovered(cases);
	});

	it('gives a member of team A NOT_FOUND for everything of team B', async () => {
		const before = await dataOfB();
		await expectAllNotFound(a.caller, foreign, cases);
		// and team B saw no change
		expect(await dataOfB()).toEqual(before);
		expect((await b.caller.teams.get({ teamSlug: b.team.slug })).name).toBe('Bob');
		expect(await b.caller.teams.tokens.list({ teamSlug: b.team.slug })).toHaveLength(1);
	});

	it("cannot reach B's project or deployments through A's own team slug", async () => {
		const before = await dataOfB();
		const viaOwnTeam = { ...foreign, teamSlug: a.team.slug };
		const projectCases = Object.fromEntries(
			Object.entries(cases.scoped).filter(([path]) => !teamOnly.has(path))
		);
		await expectAllNotFound(a.caller, viaOwnTeam, { scoped: projectCases, unscoped: [] });
		expect(await dataOfB()).toEqual(before);
	});

	it("cannot reach B's environments, variables, hooks or deployments through A's own project", async () => {
		const before = await dataOfB();
		const viaOwnProject = {
			...foreign,
			teamSlug: a.team.slug,
			ids: { ...foreign.ids, project: aliceProject }
		};
		const idCases = Object.fromEntries(
			Object.entries(cases.scoped).filter(([path]) => carriesRowId.includes(path))
		);
		expect(Object.keys(idCases)).toHaveLength(carriesRowId.length);
		await expectAllNotFound(a.caller, viaOwnProject, { scoped: idCases, unscoped: [] });
		expect(await dataOfB()).toEqual(before);
		// Nothing landed in Alice's project either.
		const own = { teamSlug: a.team.slug, projectSlug: aliceProject };
		expect(await a.caller.envVars.list(own)).toEqual([]);
		expect(await a.caller.deployments.list(own)).toEqual([]);
	});

	it('shows Bob everything of his project as it was, secrets still hidden', async () => {
		const scope = { teamSlug: b.team.slug, projectSlug: foreign.ids.project };
		const details = await b.caller.projects.get(scope);
		expect(details).toMatchObject({ name: 'Bob Site', productionBranch: 'main', port: 8000 });
		expect(details.environments.map((e) => [e.name, e.branchPattern])).toEqual([
			['Production', null],
			['Staging', 'release/*']
		]);
		expect(details.deployHooks.map((h) => h.name)).toEqual(['CI']);
		const vars = await b.caller.envVars.list(scope);
		expect(vars.map((v) => [v.key, v.value])).toEqual([
			['DATABASE_URL', null],
			['GREETING', 'hello from Bob']
		]);
		const deployments = await b.caller.deployments.list(scope);
		expect(deployments.map((d) => [d.id, d.state])).toEqual([[foreign.ids.deployment, 'queued']]);
	});

	it("answers a made-up team exactly like another team's", async () => {
		await expectAllNotFound(a.caller, { ...foreign, teamSlug: 'no-such-team' }, cases);
	});

	it("cannot reach team B's token through A's own team slug", async () => {
		const code = await codeOf(
			a.caller.teams.tokens.revoke({ teamSlug: a.team.slug, tokenId: foreign.ids.token })
		);
		expect(code).toBe('NOT_FOUND');
		expect(await b.caller.teams.tokens.list({ teamSlug: b.team.slug })).toHaveLength(1);
	});

	it('keeps an API token inside its own team, even for its owner', async () => {
		const second = await a.caller.teams.create({ name: 'Alice Labs' });
		const token = await createApiToken({
			db: t.db,
			userId: a.user.id,
			teamId: a.team.id,
			name: 'cli'
		});
		const resolved = await validateApiToken({ db: t.db, token: token.token });
		expect(resolved?.teamId).toBe(a.team.id);
		const tokenCaller = createCaller({
			db: t.db,
			keyring: testKeyring,
			config: testConfig,
			user: resolved!.user,
			sessionId: null,
			tokenTeamId: resolved!.teamId,
			ip: '127.0.0.1',
			userAgent: 'cli'
		});
		expect((await tokenCaller.teams.list()).map((x) => x.slug)).toEqual([a.team.slug]);
		expect(await codeOf(tokenCaller.teams.get({ teamSlug: second.slug }))).toBe('NOT_FOUND');
		expect(await codeOf(tokenCaller.teams.get({ teamSlug: a.team.slug }))).toBe('OK');
		// A token cannot mint tokens or change the account.
		expect(
			await codeOf(tokenCaller.teams.tokens.create({ teamSlug: a.team.slug, name: 'y' }))
		).toBe('FORBIDDEN');
		expect(await codeOf(tokenCaller.account.update({ name: 'X', email: 'x@example.com' }))).toBe(
			'FORBIDDEN'
		);
	});
});

describe('roles', () => {
	it('lets a viewer read but not rename, with a reason', async () => {
		await t.db.insert(teamMembers).values({ teamId: b.team.id, userId: a.user.id, role: 'viewer' });
		expect((await a.caller.teams.get({ teamSlug: b.team.slug })).role).toBe('viewer');
		await expect(
			a.caller.teams.rename({ teamSlug: b.team.slug, name: 'Nope' })
		).rejects.toMatchObject({
			code: 'FORBIDDEN',
			message: expect.stringMatching(/needs the admin role/)
		});
		expect((await b.caller.teams.get({ teamSlug: b.team.slug })).name).toBe('Bob');
		expect((await b.caller.teams.rename({ teamSlug: b.team.slug, name: 'Bob & Co' })).name).toBe(
			'Bob & Co'
		);
	});

	it('rejects malformed input with a clear message and no change', async () => {
		await expect(a.caller.teams.get({ teamSlug: '../etc' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/teamSlug: Team slugs use lowercase/)
		});
		await expect(
			a.caller.account.update({ name: 'A', email: 'not-an-email' })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/email: Enter a valid email/)
		});
		expect((await a.caller.account.me()).email).toBe(a.email);
	});
});

describe('roles inside a project', () => {
	const reads = [
		'projects.list',
		'projects.get',
		'envVars.list',
		'deployments.list',
		'deployments.get',
		'deployments.logs',
		'deployments.logsBefore',
		'deployments.follow',
		'projects.aliases',
		'projects.follow',
		'logs.search',
		'github.installations',
		'github.projectRepo',
		'pullRequests.list'
	];
	const memberWrites = [
		'projects.update',
		'projects.resumeProductionAutoDeploy',
		'deployments.create',
		'deployments.redeploy',
		'deployments.cancel',
		'deployments.rollback',
		'deployments.promote',
		'pullRequests.approve'
	];
	const projectPaths = () => Object.keys(cases.scoped).filter((path) => !path.startsWith('teams.'));

	async function joinB(name: string, role: 'viewer' | 'member') {
		const user = await makeUser(t.db, name);
		await t.db.insert(teamMembers).values({ teamId: b.team.id, userId: user.user.id, role });
		return user;
	}

	it('lets a viewer read everything and change nothing, with a reason', async () => {
		const vera = await joinB('Vera', 'viewer');
		const before = await dataOfB();
		const results: Record<string, string> = {};
		for (const path of projectPaths()) {
			results[path] = await codeOf(cases.scoped[path](vera.caller, foreign));
		}
		const expected = Object.fromEntries(
			projectPaths().map((path) => [path, reads.includes(path) ? 'OK' : 'FORBIDDEN'])
		);
		expect(results).toEqual(expected);
		expect(await dataOfB()).toEqual(before);

		await expect(
			vera.caller.deployments.create({
				teamSlug: b.team.slug,
				projectSlug: foreign.ids.project
			})
		).rejects.toMatchObject({
			code: 'FORBIDDEN',
			message: expect.stringMatching(/needs the member role .*; you are viewer/)
		});
		const vars = await vera.caller.envVars.list({
			teamSlug: b.team.slug,
			projectSlug: foreign.ids.project
		});
		expect(vars.find((v) => v.key === 'GREETING')?.value).toBe('hello from Bob');
		expect(vars.find((v) => v.key === 'DATABASE_URL')?.value).toBeNull();
	});

	it('lets a member deploy, cancel, redeploy and edit settings, but not delete or touch variables', async () => {
		const max = await joinB('Max', 'member');
		const scope = { teamSlug: b.team.slug, projectSlug: foreign.ids.project };

		const adminOnly = projectPaths().filter(
			(path) => !reads.includes(path) && !memberWrites.includes(path)
		);
		const before = await dataOfB();
		const results: Record<string, string> = {};
		for (const path of adminOnly) {
			results[path] = await codeOf(cases.scoped[path](max.caller, foreign));
		}
		expect(results).toEqual(Object.fromEntries(adminOnly.map((path) => [path, 'FORBIDDEN'])));
		expect(adminOnly).toEqual(
			expect.arrayContaining(['projects.delete', 'envVars.set', 'envVars.import'])
		);
		expect(await dataOfB()).toEqual(before);
		await expect(
			max.caller.projects.delete({ ...scope, confirmName: foreign.ids.projectName })
		).rejects.toMatchObject({
			code: 'FORBIDDEN',
			message: expect.stringMatching(/needs the admin role .*; you are member/)
		});

		const deployment = await max.caller.deployments.create({ ...scope, branch: 'release/1' });
		expect(deployment).toMatchObject({ state: 'queued', createdBy: max.user.id });
		const byId = { teamSlug: b.team.slug, deploymentId: deployment.id };
		expect(await max.caller.deployments.cancel(byId)).toEqual({ ok: true });
		expect((await max.caller.deployments.get(byId)).state).toBe('canceled');
		const again = await max.caller.deployments.redeploy(byId);
		expect(again).toMatchObject({ branch: 'release/1', trigger: 'redeploy', state: 'queued' });

		const updated = await max.caller.projects.update({
			...scope,
			productionBranch: 'main',
			port: 3000
		});
		expect(updated.port).toBe(3000);
		expect((await b.caller.projects.get(scope)).port).toBe(3000);
	});
});
