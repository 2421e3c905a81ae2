import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	deploymentLogs,
	githubApp,
	githubInstallations,
	projectGithubRepos,
	projects,
	teamGithubInstallations
} from '../../src/lib/server/db/schema/index.ts';
import { removeProjectResources } from '../../src/lib/server/deployments/cleanup.ts';
import { fetchSource } from '../../src/lib/server/git/remote.ts';
import { loadGithubApp } from '../../src/lib/server/github/app.ts';
import { githubGitAccess } from '../../src/lib/server/github/clone.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { deployNow, fixtureFiles, pipelineDeps, trustHostCertificates } from '../helpers/deploy.ts';
import { seedGithubApp } from '../helpers/fake-github/seed.ts';
import { startFakeGithub, type FakeGithub, type FakeRepo } from '../helpers/fake-github/server.ts';
import { createGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { startWeb, type RunningProcess } from '../helpers/server.ts';
import { codeOf, makeUser, testKeyring } from '../helpers/world.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let fake: FakeGithub;
let web: RunningProcess;
let alice: Awaited<ReturnType<typeof makeUser>>;
let bob: Awaited<ReturnType<typeof makeUser>>;
let ctx: ReturnType<typeof pipelineDeps>;
let repo: GitRepo;
const cleanup: { projectId: string; projectSlug: string }[] = [];

/** Alice's GitHub account can access installation 501 (hers) but not 502 (someone else's). */
const ALICE_GH = 9001;
const HERS = 501;
const NOT_HERS = 502;
const MANY = 503;

beforeAll(async () => {
	t = await createTestDatabase('ghinst');
	fake = await startFakeGithub();
	await seedGithubApp(t.db, fake);
	alice = await makeUser(t.db, 'Alice');
	bob = await makeUser(t.db, 'Bob');
	repo = await createGitRepo({ files: await fixtureFiles('static-site') });
	fake.addInstallation({
		id: HERS,
		account: { login: 'alice-gh', id: 77, type: 'User' },
		repos: [
			{
				id: 7001,
				fullName: 'alice-gh/site',
				private: true,
				defaultBranch: repo.branch,
				gitPath: repo.path
			},
			{ id: 7002, fullName: 'alice-gh/other', private: false, defaultBranch: 'main' }
		]
	});
	fake.addInstallation({
		id: NOT_HERS,
		account: { login: 'evil-corp', id: 78, type: 'Organization' },
		repos: [{ id: 7101, fullName: 'evil-corp/secret', private: true, defaultBranch: 'main' }]
	});
	const many: FakeRepo[] = Array.from({ length: 130 }, (_, i) => ({
		id: 8000 + i,
		fullName: `big-org/repo-${String(i).padStart(3, '0')}`,
		private: i % 2 === 0,
		defaultBranch: 'main'
	}));
	fake.addInstallation({
		id: MANY,
		account: { login: 'big-org', id: 79, type: 'Organization' },
		repos: many
	});
	fake.addUser({
		id: ALICE_GH,
		login: 'alice-gh',
		name: 'Alice',
		emails: [{ email: alice.email, primary: true, verified: true }],
		installationIds: [HERS, MANY]
	});
	fake.state.browserUserId = ALICE_GH;
	web = await startWeb(t.url);
	fake.state.setupUrl = `${web.url}/api/github/setup`;
	await trustHostCertificates(t.db);
	ctx = pipelineDeps(t.db);
}, 60_000);

afterAll(async () => {
	ctx?.collector.stopAll();
	for (const p of cleanup) await removeProjectResources(p).catch(() => {});
	await web?.stop();
	await fake?.close();
	await repo?.remove();
	await t?.drop();
});

type Jar = Record<string, string>;
const cookieHeader = (jar: Jar) =>
	Object.entries(jar)
		.map(([k, v]) => `${k}=${v}`)
		.join('; ');
function absorb(jar: Jar, res: Response) {
	for (const line of res.headers.getSetCookie()) {
		const [pair] = line.split(';');
		const [k, v] = pair.split('=');
		if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) delete jar[k];
		else jar[k] = v;
	}
}
async function get(url: string, jar: Jar) {
	const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
	absorb(jar, res);
	return res;
}

/** Alice opens "Install" in Slipway: the state cookie, and GitHub's install page URL. */
async function openInstallLink(jar: Jar, team = alice.team.slug) {
	const res = await get(`${web.url}/api/github/install?team=${team}`, jar);
	expect(res.status).toBe(303);
	const location = new URL(res.headers.get('location')!);
	return location;
}

const linkedTo = async (teamId: string) =>
	(
		await t.db
			.select()
			.from(teamGithubInstallations)
			.where(eq(teamGithubInstallations.teamId, teamId))
	).map((r) => r.installationId);

describe('install link and callback', () => {
	it('install → GitHub → callback links the installation to the team and opens the picker', async () => {
		const jar: Jar = { slipway_session: alice.token };
		const install = await openInstallLink(jar);
		expect(`${install.origin}${install.pathname}`).toBe(
			`${fake.url}/apps/${fake.state.app.slug}/installations/new`
		);
		const state = install.searchParams.get('state')!;
		expect(state.length).toBeGreaterThanOrEqual(32);
		expect(jar.slipway_github_install).toBeTruthy();

		fake.state.nextInstall = HERS;
		const onGithub = await get(install.toString(), jar);
		expect(onGithub.status).toBe(302);
		const callback = onGithub.headers.get('location')!;
		expect(callback).toContain('/api/github/setup?');

		const back = await get(callback, jar);
		expect(back.status).toBe(303);
		expect(back.headers.get('location')).toBe(`/${alice.team.slug}/new?installation=${HERS}`);
		expect(await linkedTo(alice.team.id)).toEqual([HERS]);
		const [row] = await t.db
			.select()
			.from(githubInstallations)
			.where(eq(githubInstallations.id, HERS));
		expect(row).toMatchObject({ accountLogin: 'alice-gh', accountType: 'User', removedAt: null });
		// The user token proved access: Slipway asked GitHub which installations Alice can see.
		expect(fake.calls('GET', '/api/v3/user/installations').length).toBeGreaterThan(0);
		// The state is single-use: replaying the same callback is refused.
		expect((await get(callback, jar)).status).toBe(400);

		const page = await get(`${web.url}/${alice.team.slug}/new?installation=${HERS}`, jar);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('Import from GitHub');
		expect(html).toContain('alice-gh');
	});

	it('refuses a forged installation id the GitHub user cannot access, writing nothing', async () => {
		const jar: Jar = { slipway_session: alice.token };
		const install = await openInstallLink(jar);
		const code = randomBytes(8).toString('hex');
		fake.state.oauthCodes.set(code, ALICE_GH);
		const forged = new URL(`${web.url}/api/github/setup`);
		forged.searchParams.set('installation_id', String(NOT_HERS));
		forged.searchParams.set('setup_action', 'install');
		forged.searchParams.set('code', code);
		forged.searchParams.set('state', install.searchParams.get('state')!);
		const res = await get(forged.toString(), jar);
		expect(res.status).toBe(403);
		expect(await res.text()).toContain('cannot access this installation');
		expect(await linkedTo(alice.team.id)).not.toContain(NOT_HERS);
		expect(
			await t.db.select().from(githubInstallations).where(eq(githubInstallations.id, NOT_HERS))
		).toEqual([]);
	});

	it('refuses a callback without the matching state cookie, and another user’s cookie', async () => {
		const jar: Jar = { slipway_session: alice.token };
		const install = await openInstallLink(jar);
		const state = install.searchParams.get('state')!;
		const code = randomBytes(8).toString('hex');
		fake.state.oauthCodes.set(code, ALICE_GH);
		const url = `${web.url}/api/github/setup?installation_id=${MANY}&setup_action=install&code=${code}&state=`;

		const wrongState = await get(url + 'not-the-state', jar);
		expect(wrongState.status).toBe(400);
		expect(await wrongState.text()).toContain('Start again from the new-project page');

		const noState = await get(url.slice(0, url.indexOf('&state=')), jar);
		expect(noState.status).toBe(400);
		expect(await noState.text()).toContain('without the state of the install link');

		const noCookie = await get(url + state, { slipway_session: alice.token });
		expect(noCookie.status).toBe(400);

		// Bob got hold of Alice's link (cookie and state): still not his installation to add.
		const bobJar: Jar = {
			slipway_session: bob.token,
			slipway_github_install: jar.slipway_github_install
		};
		expect((await get(url + state, bobJar)).status).toBe(403);

		// Signed out: sent to the login page first.
		const anon = await get(url + state, { slipway_github_install: jar.slipway_github_install });
		expect(anon.status).toBe(303);
		expect(anon.headers.get('location')).toContain('/login?redirectTo=');

		expect(await linkedTo(alice.team.id)).toEqual([HERS]);
		expect(await linkedTo(bob.team.id)).toEqual([]);
	});

	it('only admins of the team may start an installation', async () => {
		const jar: Jar = { slipway_session: bob.token };
		const res = await get(`${web.url}/api/github/install?team=${alice.team.slug}`, jar);
		expect(res.status).toBe(404);
		expect(jar.slipway_github_install).toBeUndefined();
	});

	it('setup_action=update (repositories changed on GitHub) just goes back to the picker', async () => {
		const jar: Jar = { slipway_session: alice.token };
		const install = await openInstallLink(jar);
		const res = await get(
			`${web.url}/api/github/setup?installation_id=${HERS}&setup_action=update&state=${install.searchParams.get('state')}`,
			jar
		);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(`/${alice.team.slug}/new?installation=${HERS}`);
	});

	it('an installation waiting for an organization owner’s approval links nothing yet', async () => {
		const jar: Jar = { slipway_session: alice.token };
		const install = await openInstallLink(jar);
		const res = await get(
			`${web.url}/api/github/setup?setup_action=request&state=${install.searchParams.get('state')}`,
			jar
		);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(`/${alice.team.slug}/new?github=requested`);
		const page = await (await get(`${web.url}${res.headers.get('location')}`, jar)).text();
		expect(page).toContain('asked an owner of the organization to approve');
		expect(await linkedTo(alice.team.id)).toEqual([HERS]);
	});

	it('a second account (organization) is added next to the first, through the OAuth callback URL', async () => {
		// With "request user authorization during installation" GitHub sends the browser to the
		// App's callback URL (not the setup URL); the login callback hands it on to the setup.
		const jar: Jar = { slipway_session: alice.token };
		const install = await openInstallLink(jar);
		fake.state.nextInstall = MANY;
		fake.state.setupUrl = `${web.url}/login/github/callback`;
		let back: Response;
		try {
			const onGithub = await get(install.toString(), jar);
			const handOff = await get(onGithub.headers.get('location')!, jar);
			expect(handOff.status).toBe(303);
			expect(handOff.headers.get('location')).toMatch(/^\/api\/github\/setup\?/);
			back = await get(`${web.url}${handOff.headers.get('location')}`, jar);
		} finally {
			fake.state.setupUrl = `${web.url}/api/github/setup`;
		}
		expect(back.status).toBe(303);
		expect(back.headers.get('location')).toBe(`/${alice.team.slug}/new?installation=${MANY}`);
		expect((await linkedTo(alice.team.id)).sort()).toEqual([HERS, MANY]);
		const listed = await alice.caller.github.installations({ teamSlug: alice.team.slug });
		expect(listed.app?.slug).toBe(fake.state.app.slug);
		expect(listed.installations.map((i) => i.accountLogin)).toEqual(['alice-gh', 'big-org']);
	});
});

describe('repository picker', () => {
	it('pages past 100 repositories and searches without refetching from GitHub', async () => {
		const before = fake.calls('GET', '/api/v3/installation/repositories').length;
		const first = await alice.caller.github.repositories({
			teamSlug: alice.team.slug,
			installationId: MANY
		});
		expect(first.total).toBe(130);
		expect(first.repositories).toHaveLength(30);
		expect(first.hasMore).toBe(true);
		// GitHub serves 100 a page: the full list took two requests.
		const fetched = fake.calls('GET', '/api/v3/installation/repositories').length - before;
		expect(fetched).toBe(2);

		const last = await alice.caller.github.repositories({
			teamSlug: alice.team.slug,
			installationId: MANY,
			page: 5
		});
		expect(last.repositories.map((r) => r.fullName)).toEqual(
			Array.from({ length: 10 }, (_, i) => `big-org/repo-${120 + i}`)
		);
		expect(last.hasMore).toBe(false);

		const found = await alice.caller.github.repositories({
			teamSlug: alice.team.slug,
			installationId: MANY,
			search: 'REPO-12'
		});
		expect(found.total).toBe(10);
		expect(found.repositories.every((r) => r.fullName.includes('repo-12'))).toBe(true);
		const page2 = await alice.caller.github.repositories({
			teamSlug: alice.team.slug,
			installationId: MANY,
			search: 'big-org',
			page: 2
		});
		expect(page2.repositories[0].fullName).toBe('big-org/repo-030');
		// Typing in the search box used the cached list.
		expect(fake.calls('GET', '/api/v3/installation/repositories').length - before).toBe(2);
	});

	it('lists only installations linked to the team', async () => {
		expect(
			await codeOf(
				alice.caller.github.repositories({ teamSlug: alice.team.slug, installationId: NOT_HERS })
			)
		).toBe('NOT_FOUND');
		expect(
			await codeOf(
				bob.caller.github.repositories({ teamSlug: bob.team.slug, installationId: HERS })
			)
		).toBe('NOT_FOUND');
	});
});

describe('importing a repository and deploying it', { timeout: 300_000 }, () => {
	let projectId: string;
	let projectSlug: string;

	it('detects the preset of a private repository through the installation token', async () => {
		const found = await alice.caller.github.detectRepository({
			teamSlug: alice.team.slug,
			installationId: HERS,
			repoId: 7001
		});
		expect(found.source.displayName).toBe('alice-gh/site');
		expect(found.defaultBranch).toBe(repo.branch);
		expect(found.detected?.preset).toBe('static');
	});

	it('refuses a repository that is not in the installation', async () => {
		expect(
			await codeOf(
				alice.caller.github.importRepository({
					teamSlug: alice.team.slug,
					name: 'nope',
					installationId: HERS,
					repoId: 7101
				})
			)
		).toBe('NOT_FOUND');
		expect(
			await codeOf(
				alice.caller.github.importRepository({
					teamSlug: alice.team.slug,
					name: 'nope',
					installationId: NOT_HERS,
					repoId: 7101
				})
			)
		).toBe('NOT_FOUND');
	});

	it('creates a GitHub project with its repository row', async () => {
		const project = await alice.caller.github.importRepository({
			teamSlug: alice.team.slug,
			name: 'site',
			installationId: HERS,
			repoId: 7001,
			preset: 'static'
		});
		projectId = project.id;
		projectSlug = project.slug;
		cleanup.push({ projectId, projectSlug });
		expect(project).toMatchObject({
			sourceKind: 'github',
			repoUrl: `${fake.url}/alice-gh/site.git`,
			productionBranch: repo.branch
		});
		const [row] = await t.db
			.select()
			.from(projectGithubRepos)
			.where(eq(projectGithubRepos.projectId, projectId));
		expect(row).toMatchObject({ installationId: HERS, repoId: 7001, fullName: 'alice-gh/site' });
		expect(
			await alice.caller.github.projectRepo({ teamSlug: alice.team.slug, projectSlug })
		).toMatchObject({ fullName: 'alice-gh/site', disconnectedAt: null });
	});

	it('deploys from the GitHub git server to ready; the token reaches no log, container or image', async () => {
		const tokensBefore = fake.state.installationTokens.size;
		const deployment = await deployNow(ctx.deps, projectId);
		expect(deployment.state, deployment.logText).toBe('ready');
		expect(deployment.commitSha).toBe(repo.commits.at(-1));

		// A fresh token limited to this one repository and to reading it.
		const issued = [...fake.state.installationTokens.values()].slice(tokensBefore);
		expect(issued.length).toBeGreaterThan(0);
		const cloneTokens = issued.filter((x) => x.repositoryIds?.length === 1);
		expect(cloneTokens.at(-1)).toMatchObject({
			installationId: HERS,
			repositoryIds: [7001],
			permissions: { contents: 'read', metadata: 'read' }
		});
		// git really fetched with it.
		expect(fake.requests.some((r) => r.path.startsWith('/alice-gh/site.git/'))).toBe(true);

		const secrets = [...fake.state.installationTokens.keys()];
		const basic = secrets.map((s) => Buffer.from(`x-access-token:${s}`).toString('base64'));
		const leaks = (text: string) => [...secrets, ...basic].filter((s) => text.includes(s));

		const logs = await t.db
			.select()
			.from(deploymentLogs)
			.where(eq(deploymentLogs.deploymentId, deployment.id));
		expect(leaks(logs.map((l) => l.line).join('\n'))).toEqual([]);

		const container = execFileSync('docker', ['inspect', deployment.containerId!]).toString();
		expect(leaks(container)).toEqual([]);
		const image = execFileSync('docker', ['image', 'inspect', deployment.image!]).toString();
		expect(leaks(image)).toEqual([]);
		const history = execFileSync('docker', ['history', '--no-trunc', deployment.image!]).toString();
		expect(leaks(history)).toEqual([]);
		// Every file of the image (the build context went into it).
		const exported = execFileSync(
			'sh',
			[
				'-c',
				`id=$(docker create ${deployment.image}) && docker export $id; docker rm $id >/dev/null`
			],
			{ maxBuffer: 1024 * 1024 * 1024 }
		);
		expect(exported.length).toBeGreaterThan(1000);
		expect(secrets.filter((s) => exported.includes(s))).toEqual([]);
	});

	it('leaves no token in the checkout git makes (the build context)', async () => {
		const app = (await loadGithubApp(t.db, testKeyring))!;
		const access = await githubGitAccess(app, { installationId: HERS, repoId: 7001 });
		const dir = await mkdtemp(join(tmpdir(), 'ghinst-ctx-'));
		try {
			await fetchSource({
				url: `${fake.url}/alice-gh/site.git`,
				ref: { branch: repo.branch },
				dir,
				access: { allowLocal: false, homeDir: join(dir, '..', 'ghinst-home'), ...access }
			});
			const token = Buffer.from(access.httpAuthorization!.replace(/^Basic /, ''), 'base64')
				.toString()
				.split(':')[1];
			const files = await readdir(dir, { recursive: true, withFileTypes: true });
			expect(files.some((f) => f.name === 'index.html')).toBe(true);
			for (const f of files.filter((x) => x.isFile())) {
				const content = await readFile(join(f.parentPath, f.name));
				expect(content.includes(token), join(f.parentPath, f.name)).toBe(false);
			}
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('fails at fetch with what to do when the App lost the repository', async () => {
		const inst = fake.state.installations.get(HERS)!;
		const saved = inst.repos;
		inst.repos = saved.filter((r) => r.id !== 7001);
		try {
			const deployment = await deployNow(ctx.deps, projectId);
			expect(deployment.state).toBe('failed');
			expect(deployment.failureStage).toBe('fetch');
			expect(deployment.failureReason).toContain('alice-gh/site');
			expect(deployment.failureReason).toContain(
				'Install the App again or grant it the repository'
			);
			expect(deployment.failureReason).toContain('Reconnect');
		} finally {
			inst.repos = saved;
		}
	});

	it('fails at fetch when GitHub cannot be reached', async () => {
		await seedGithubApp(t.db, fake, { apiUrl: 'http://127.0.0.1:9/api/v3' });
		try {
			const deployment = await deployNow(ctx.deps, projectId);
			expect(deployment.state).toBe('failed');
			expect(deployment.failureStage).toBe('fetch');
			expect(deployment.failureReason).toContain('GitHub could not be reached');
		} finally {
			await seedGithubApp(t.db, fake);
		}
	});

	it('reconnects a disconnected project after a rename, and explains when access is gone', async () => {
		const input = { teamSlug: alice.team.slug, projectSlug };
		await t.db
			.update(projectGithubRepos)
			.set({ disconnectedAt: new Date(), disconnectedReason: 'The repository was renamed.' })
			.where(eq(projectGithubRepos.projectId, projectId));
		const jar: Jar = { slipway_session: alice.token };
		const html = await (await get(`${web.url}/${alice.team.slug}/${projectSlug}`, jar)).text();
		expect(html).toContain('Disconnected from GitHub');
		expect(html).toContain('The repository was renamed.');
		expect(html).toContain('Reconnect');

		// Gone from the installation: an error that says what to do, and still disconnected.
		const inst = fake.state.installations.get(HERS)!;
		const site = inst.repos.find((r) => r.id === 7001)!;
		inst.repos = inst.repos.filter((r) => r !== site);
		await expect(alice.caller.github.reconnect(input)).rejects.toThrow(/Install the App/);
		expect((await alice.caller.github.projectRepo(input))?.disconnectedAt).not.toBeNull();

		// Back, under a new name (same id): the project follows it.
		site.fullName = 'alice-gh/renamed-site';
		inst.repos.push(site);
		expect(await alice.caller.github.reconnect(input)).toMatchObject({
			fullName: 'alice-gh/renamed-site'
		});
		expect(await alice.caller.github.projectRepo(input)).toMatchObject({
			fullName: 'alice-gh/renamed-site',
			disconnectedAt: null,
			disconnectedReason: null
		});
		const [project] = await t.db.select().from(projects).where(eq(projects.id, projectId));
		expect(project.repoUrl).toBe(`${fake.url}/alice-gh/renamed-site.git`);
		const html2 = await (await get(`${web.url}/${alice.team.slug}/${projectSlug}`, jar)).text();
		expect(html2).not.toContain('Disconnected from GitHub');

		// And deploys from the new name.
		const deployment = await deployNow(ctx.deps, projectId);
		expect(deployment.state, deployment.logText).toBe('ready');
	});

	it('only admins reconnect', async () => {
		expect(
			await codeOf(bob.caller.github.reconnect({ teamSlug: alice.team.slug, projectSlug }))
		).toBe('NOT_FOUND');
	});
});

describe('without a GitHub App', () => {
	it('the new-project page says an instance admin connects GitHub', async () => {
		const jar: Jar = { slipway_session: alice.token };
		await t.db.delete(githubApp);
		try {
			const html = await (await get(`${web.url}/${alice.team.slug}/new`, jar)).text();
			expect(html).toContain('An instance admin connects GitHub under Admin → GitHub.');
			expect(html).not.toContain('Install on GitHub');
			const install = await get(`${web.url}/api/github/install?team=${alice.team.slug}`, jar);
			expect(install.status).toBe(503);
		} finally {
			await seedGithubApp(t.db, fake);
		}
	});

	it('a fresh instance lists no installations and no repositories', async () => {
		const other = await createTestDatabase('ghinst-noapp');
		try {
			const carol = await makeUser(other.db, 'Carol');
			expect(await carol.caller.github.installations({ teamSlug: carol.team.slug })).toEqual({
				app: null,
				installations: []
			});
			expect(
				await codeOf(
					carol.caller.github.repositories({ teamSlug: carol.team.slug, installationId: HERS })
				)
			).toBe('NOT_FOUND');
		} finally {
			await other.drop();
		}
	});
});
