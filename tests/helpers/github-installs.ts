import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { teamGithubInstallations } from '../../src/lib/server/db/schema/index.ts';
import { removeProjectResources } from '../../src/lib/server/deployments/cleanup.ts';
import { requireGithubApp } from '../../src/lib/server/github/app.ts';
import { linkInstallation } from '../../src/lib/server/github/installations.ts';
import { fixtureFiles, pipelineDeps, trustHostCertificates } from './deploy.ts';
import { seedGithubApp } from './fake-github/seed.ts';
import type { FakeRepo } from './fake-github/server.ts';
import { createGitRepo } from './git-repo.ts';
import { startGithubWeb } from './github-web.ts';
import { makeUser, testKeyring } from './world.ts';

/** Alice's GitHub account can access installation 501 (hers) but not 502 (someone else's). */
export const ALICE_GH = 9001;
export const HERS = 501;
export const NOT_HERS = 502;
/** 130 repositories of big-org, which Alice can access too. */
export const MANY = 503;
/** The private repository of HERS that is served over git (a static site). */
export const SITE = { id: 7001, fullName: 'alice-gh/site' };

/** A browser's cookies, by name. */
export type Jar = Record<string, string>;
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
/** A GET that does not follow redirects and keeps the cookies it is given. */
export async function get(url: string, jar: Jar) {
	const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
	absorb(jar, res);
	return res;
}

/**
 * What the installation tests run against: the web server, the fake GitHub with this instance's
 * App, Alice (GitHub user ALICE_GH, signed in on the fake) and Bob, and the installations HERS
 * (alice-gh/site, a served static site, and alice-gh/other), NOT_HERS and MANY. Nothing is linked
 * to a team yet.
 */
export async function startInstallWorld(label: string) {
	const base = await startGithubWeb(label);
	const { t, fake, web } = base;
	const projects: { projectId: string; projectSlug: string }[] = [];
	let pipeline: ReturnType<typeof pipelineDeps> | undefined;
	await seedGithubApp(t.db, fake);
	const alice = await makeUser(t.db, 'Alice');
	const bob = await makeUser(t.db, 'Bob');
	const repo = await createGitRepo({ files: await fixtureFiles('static-site') });
	fake.addInstallation({
		id: HERS,
		account: { login: 'alice-gh', id: 77, type: 'User' },
		repos: [
			{
				...SITE,
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
	fake.state.setupUrl = `${web.url}/api/github/setup`;

	return {
		...base,
		alice,
		bob,
		repo,
		/** Alice opens "Install" in Slipway: the state cookie, and GitHub's install page URL. */
		async openInstallLink(jar: Jar, team = alice.team.slug) {
			const res = await get(`${web.url}/api/github/install?team=${team}`, jar);
			expect(res.status).toBe(303);
			return new URL(res.headers.get('location')!);
		},
		/** The installations linked to a team. */
		async linkedTo(teamId: string) {
			const rows = await t.db
				.select()
				.from(teamGithubInstallations)
				.where(eq(teamGithubInstallations.teamId, teamId));
			return rows.map((r) => r.installationId);
		},
		/**
		 * Links installations to Alice's team as the install callback does, after GitHub confirmed
		 * with her OAuth code that she can access them (the callback has tests of its own).
		 */
		async linkToAlice(...installationIds: number[]) {
			const app = await requireGithubApp(t.db, testKeyring);
			for (const installationId of installationIds) {
				const code = randomBytes(8).toString('hex');
				fake.state.oauthCodes.set(code, ALICE_GH);
				await linkInstallation(t.db, app, {
					teamId: alice.team.id,
					userId: alice.user.id,
					installationId,
					code
				});
			}
		},
		/** Alice's project "site", imported from SITE; its containers go at stop(). */
		async importSite() {
			const project = await alice.caller.github.importRepository({
				teamSlug: alice.team.slug,
				name: 'site',
				installationId: HERS,
				repoId: SITE.id,
				preset: 'static'
			});
			projects.push({ projectId: project.id, projectSlug: project.slug });
			return project;
		},
		/** What deploys need (the host's CA certificates trusted, a log collector). */
		async pipeline() {
			if (!pipeline) {
				await trustHostCertificates(t.db);
				pipeline = pipelineDeps(t.db);
			}
			return pipeline;
		},
		async stop() {
			pipeline?.collector.stopAll();
			for (const p of projects) await removeProjectResources(p).catch(() => {});
			await base.stop();
			await repo.remove();
		}
	};
}
