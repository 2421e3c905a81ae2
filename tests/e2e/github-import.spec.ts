import { expect, test, type Page } from './test.ts';
import { eq, inArray } from 'drizzle-orm';
import {
	githubApp,
	githubInstallations,
	projectGithubRepos,
	projects
} from '../../src/lib/server/db/schema/index.ts';
import { fixtureFiles } from '../helpers/deploy.ts';
import { seedGithubApp } from '../helpers/fake-github/seed.ts';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github/server.ts';
import { createGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { newUser, signUp } from './helpers.ts';
import { e2eDb } from './instance.ts';

/**
 * Install → pick → import in the browser, against the fake GitHub (its install page redirects
 * straight back, as GitHub does once the user clicked Install) and the e2e instance's worker,
 * which clones the private repository from the fake's git server with an installation token.
 */
const INSTALLATION = 61_001;
const GH_USER = 61_900;

let fake: FakeGithub;
let repo: GitRepo;
let db: ReturnType<typeof e2eDb>['db'];
let closeDb: () => Promise<void>;

test.beforeAll(async ({ baseURL }) => {
	fake = await startFakeGithub();
	({ db, close: closeDb } = e2eDb());
	repo = await createGitRepo({
		files: await fixtureFiles('static-site'),
		message: 'Landing page'
	});
	fake.addInstallation({
		id: INSTALLATION,
		account: { login: 'acme', id: 61_002, type: 'Organization' },
		repos: [
			...Array.from({ length: 45 }, (_, i) => ({
				id: 62_000 + i,
				fullName: `acme/service-${String(i).padStart(2, '0')}`,
				private: i % 3 === 0,
				defaultBranch: 'main'
			})),
			{
				id: 63_000,
				fullName: 'acme/marketing-site',
				private: true,
				defaultBranch: repo.branch,
				gitPath: repo.path
			}
		]
	});
	fake.addUser({
		id: GH_USER,
		login: 'ada',
		name: 'Ada',
		emails: [{ email: 'ada@example.com', primary: true, verified: true }],
		installationIds: [INSTALLATION]
	});
	fake.state.browserUserId = GH_USER;
	fake.state.nextInstall = INSTALLATION;
	fake.state.setupUrl = `${baseURL}/api/github/setup`;
	await seedGithubApp(db, fake);
});

test.afterAll(async () => {
	// Leave the shared instance without a GitHub App, as the other specs expect it.
	await db.delete(githubApp);
	await db.delete(githubInstallations).where(inArray(githubInstallations.id, [INSTALLATION]));
	await closeDb();
	await fake?.close();
	await repo?.remove();
});

async function shot(page: Page, name: string) {
	const path = `test-results/screenshots/${name}.png`;
	// A full-page shot of a scrolled page draws the sticky header mid-page.
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.screenshot({ path, fullPage: true });
	await test.info().attach(name, { path, contentType: 'image/png' });
}

test('install the App, pick a private repository, import it and watch it go live', async ({
	page
}) => {
	test.setTimeout(300_000);
	const teamPath = await signUp(page, newUser('github'));
	await page.goto(`${teamPath}/new`);
	const picker = page.getByTestId('github-import');
	await expect(picker).toContainText('Install the App on your GitHub account');
	await shot(page, 'github-import-not-installed');

	// Install: Slipway → GitHub's install page → back to the setup URL → the picker.
	await picker.getByRole('link', { name: 'Install on GitHub' }).click();
	await expect(page).toHaveURL(new RegExp(`${teamPath}/new\\?installation=${INSTALLATION}$`));
	await expect(page.getByTestId('github-installation')).toHaveValue(String(INSTALLATION));
	await expect(page.getByTestId('github-count')).toHaveText('Showing 30 of 46');
	await shot(page, 'github-import-picker');

	await page.getByRole('button', { name: 'Load more' }).click();
	await expect(page.getByTestId('github-count')).toHaveText('Showing 46 of 46');
	await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);

	await page.getByTestId('github-search').fill('MARKETING');
	await expect(page.getByTestId('github-count')).toHaveText('Showing 1 of 1');
	await expect(page.getByTestId('github-repos')).toContainText('acme/marketing-site');
	await expect(page.getByTestId('github-repos')).toContainText('private');
	await shot(page, 'github-import-search');

	await page.getByRole('button', { name: 'Import acme/marketing-site' }).click();
	await expect(page.getByTestId('detection')).toContainText('acme/marketing-site');
	await expect(page.getByTestId('detection')).toContainText('Static site');
	await expect(page.getByTestId('github-picked')).toHaveText('acme/marketing-site');
	await expect(page.getByLabel('Project name')).toHaveValue('marketing-site');
	await expect(page.getByLabel('Production branch')).toHaveValue(repo.branch);
	await shot(page, 'github-import-detected');

	await page.getByRole('button', { name: 'Create and deploy' }).click();
	await expect(page).toHaveURL(/\/deployments\/[0-9a-f-]{36}$/);
	await expect(page.getByTestId('state-badge').first()).toHaveAttribute('data-state', 'ready', {
		timeout: 240_000
	});
	await shot(page, 'github-import-deployed');

	const [, , projectSlug] = new URL(page.url()).pathname.split('/');
	const [project] = await db.select().from(projects).where(eq(projects.slug, projectSlug));
	expect(project).toMatchObject({
		sourceKind: 'github',
		repoUrl: `${fake.url}/acme/marketing-site.git`
	});
	// The worker cloned with a token limited to that one repository.
	const cloneTokens = [...fake.state.installationTokens.values()].filter(
		(t) => t.repositoryIds?.length === 1 && t.repositoryIds[0] === 63_000
	);
	expect(cloneTokens.length).toBeGreaterThan(0);

	// Disconnected (as an uninstall webhook would mark it): the project says so and offers Reconnect.
	await db
		.update(projectGithubRepos)
		.set({
			disconnectedAt: new Date(),
			disconnectedReason: 'The GitHub App was suspended on acme.'
		})
		.where(eq(projectGithubRepos.projectId, project.id));
	await page.goto(`${teamPath}/${projectSlug}`);
	const banner = page.getByTestId('github-disconnected-banner');
	await expect(banner).toContainText('The GitHub App was suspended on acme.');
	await shot(page, 'github-project-disconnected');
	await banner.getByRole('button', { name: 'Reconnect' }).click();
	await expect(banner).toHaveCount(0);
});
