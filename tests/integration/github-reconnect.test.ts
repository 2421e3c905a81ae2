import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectGithubRepos, projects } from '../../src/lib/server/db/schema/index.ts';
import { deployNow } from '../helpers/deploy.ts';
import { get, HERS, startInstallWorld, type Jar } from '../helpers/github-installs.ts';
import { codeOf } from '../helpers/world.ts';

// A project whose repository was renamed or left the installation: the project page says so,
// and Reconnect follows the repository by its id. Needs a current build (`SLIPWAY_BUILD_DIR=build-x
// npx vite build`).

let world: Awaited<ReturnType<typeof startInstallWorld>>;
let t: typeof world.t;
let fake: typeof world.fake;
let web: typeof world.web;
let alice: typeof world.alice;
let bob: typeof world.bob;
let ctx: Awaited<ReturnType<typeof world.pipeline>>;
let projectId: string;
let projectSlug: string;

beforeAll(async () => {
	world = await startInstallWorld('gh_reconnect');
	({ t, fake, web, alice, bob } = world);
	ctx = await world.pipeline();
	await world.linkToAlice(HERS);
	({ id: projectId, slug: projectSlug } = await world.importSite());
}, 60_000);
afterAll(() => world?.stop());

describe('reconnecting a project', { timeout: 300_000 }, () => {
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
