import { expect, test, type Page } from './test.ts';
import { eq } from 'drizzle-orm';
import { teamMembers, teams, users } from '../../src/lib/server/db/schema/index.ts';
import { createGitRepo, removeGitRepos, sampleApps } from '../helpers/git-repo.ts';
import { e2eDb } from './instance.ts';
import { logOut, newUser, signUp } from './helpers.ts';

test.afterAll(removeGitRepos);

const uniqueName = (label: string) => `${label} ${Math.random().toString(36).slice(2, 7)}`;

/** Through the new-project form from the dashboard; returns the project's path. */
async function createProject(page: Page, teamPath: string, name: string): Promise<string> {
	const repo = await createGitRepo({ files: sampleApps.node, message: 'First version' });
	await page.goto(teamPath);
	await page.getByRole('link', { name: 'New project' }).click();
	await page.getByLabel('Git repository URL').fill(repo.path);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page.getByTestId('detection')).toContainText('Detected Node');
	await expect(page.getByLabel('Production branch')).toHaveValue('main');
	await page.getByLabel('Project name').fill(name);
	await page.getByRole('button', { name: 'Create and deploy' }).click();
	await expect(page).toHaveURL(/\/deployments\/[0-9a-f-]{36}$/);
	const [, team, project] = new URL(page.url()).pathname.split('/');
	return `/${team}/${project}`;
}

test('from the empty dashboard to a project with its first deployment listed', async ({ page }) => {
	const teamPath = await signUp(page, newUser('creator'));
	await expect(page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();

	const name = uniqueName('Shop');
	const projectPath = await createProject(page, teamPath, name);

	await page.goto(`${projectPath}/deployments`);
	const row = page.getByTestId('deployment-row').first();
	await expect(row).toContainText('main');
	await expect(row).toContainText('First version');
	await expect(row.getByTestId('state-badge')).toBeVisible();

	await page.goto(teamPath);
	const card = page.getByTestId('project-card').filter({ hasText: name });
	await expect(card.getByTestId('state-badge')).toBeVisible();
	await card.getByRole('link', { name }).click();
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
	await expect(page.getByRole('list', { name: 'Latest deployments' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Deploy' })).toBeVisible();
});

test('a bad repository URL and a bad setting are explained beside their fields', async ({
	page
}) => {
	const teamPath = await signUp(page, newUser('typo'));
	await page.goto(`${teamPath}/new`);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page.getByText('Enter the repository URL.')).toBeVisible();
	await expect(page.getByLabel('Git repository URL')).toHaveAttribute('aria-invalid', 'true');

	const projectPath = await createProject(page, teamPath, uniqueName('Field'));
	await page.goto(`${projectPath}/settings`);
	const health = page.getByLabel('Health check path');
	await health.fill('healthz');
	await page.getByRole('button', { name: 'Save' }).nth(1).click();
	await expect(health).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText('Start the path with / (for example /healthz).')).toBeVisible();
});

test('settings: a secret stays masked, a .env paste is previewed then imported', async ({
	page
}) => {
	const teamPath = await signUp(page, newUser('vars'));
	const projectPath = await createProject(page, teamPath, uniqueName('Vars'));
	await page.goto(`${projectPath}/settings`);

	const add = page.getByRole('form', { name: 'Add a variable' });
	await add.getByLabel('Name').fill('API_TOKEN');
	await add.getByLabel('Value').fill('s3cret-value-123');
	await add.getByLabel('Secret').check();
	await add.getByRole('button', { name: 'Add variable' }).click();
	await expect(page.getByText('Saved API_TOKEN.')).toBeVisible();
	const secret = page.getByTestId('env-var').filter({ hasText: 'API_TOKEN' });
	await expect(secret.getByTestId('env-value')).toHaveText('••••');
	await expect(page.getByText('s3cret-value-123')).toHaveCount(0);

	await page.getByText('Paste a .env file').click();
	await page
		.getByLabel('.env contents')
		.fill('# shared\nGREETING="hello world"\nexport LEVEL=debug\n');
	await page.getByRole('button', { name: 'Preview' }).click();
	await expect(page.getByTestId('import-preview')).toContainText('2 to add');
	await page.getByRole('button', { name: 'Import' }).click();
	await expect(page.getByText('Imported 2 variables.')).toBeVisible();
	await expect(page.getByTestId('env-var').filter({ hasText: 'GREETING' })).toContainText(
		'hello world'
	);
	await page.reload();
	await expect(page.getByTestId('env-var')).toHaveCount(3);
});

test('a viewer sees the settings read-only', async ({ page }) => {
	const owner = newUser('owner');
	const teamPath = await signUp(page, owner);
	const projectPath = await createProject(page, teamPath, uniqueName('Ro'));
	await logOut(page);

	const viewer = newUser('viewer');
	await signUp(page, viewer);
	const { db, close } = e2eDb();
	try {
		const [team] = await db
			.select()
			.from(teams)
			.where(eq(teams.slug, teamPath.slice(1)));
		const [user] = await db.select().from(users).where(eq(users.email, viewer.email));
		await db.insert(teamMembers).values({ teamId: team.id, userId: user.id, role: 'viewer' });
	} finally {
		await close();
	}

	await page.goto(`${projectPath}/settings`);
	await expect(page.getByText('settings are read-only')).toBeVisible();
	await expect(page.getByLabel('Name').first()).toBeDisabled();
	await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Add variable' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Delete project' })).toHaveCount(0);

	await page.goto(projectPath);
	await expect(page.getByText('You have read-only access')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Deploy' })).toHaveCount(0);
});
