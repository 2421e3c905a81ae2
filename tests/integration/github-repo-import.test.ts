import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectGithubRepos } from '../../src/lib/server/db/schema/index.ts';
import { HERS, MANY, NOT_HERS, startInstallWorld } from '../helpers/github-installs.ts';
import { codeOf } from '../helpers/world.ts';

// Picking a repository of an installation linked to the team, and importing it as a project.

let world: Awaited<ReturnType<typeof startInstallWorld>>;
let t: typeof world.t;
let fake: typeof world.fake;
let alice: typeof world.alice;
let bob: typeof world.bob;
let repo: typeof world.repo;

beforeAll(async () => {
	world = await startInstallWorld('gh_repo_import');
	({ t, fake, alice, bob, repo } = world);
	await world.linkToAlice(HERS, MANY);
}, 60_000);
afterAll(() => world?.stop());

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

describe('importing a repository', () => {
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
		const { id: projectId, slug: projectSlug } = project;
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
});
