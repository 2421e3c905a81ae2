import { expect, test, type Page } from './test.ts';
import { eq } from 'drizzle-orm';
import { githubApp, users } from '../../src/lib/server/db/schema/index.ts';
import { seedGithubApp } from '../helpers/fake-github/seed.ts';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github/server.ts';
import { newUser, signUp } from './helpers';
import { e2eDb } from './instance';

// Logging in with GitHub and creating the instance's GitHub App, in Chromium, against a fake
// GitHub started here (the web server reaches it on 127.0.0.1, the browser too).
// The App row is shared by the whole e2e instance: these tests run one after the other and put
// the instance back the way they found it (no App).
test.describe.configure({ mode: 'serial' });

let fake: FakeGithub;
let db: ReturnType<typeof e2eDb>;

test.beforeAll(async () => {
	fake = await startFakeGithub();
	db = e2eDb();
});
test.afterAll(async () => {
	await db.db.delete(githubApp);
	await db.close();
	await fake.close();
});

async function shoot(page: Page, name: string) {
	for (const theme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme: theme });
		await page.reload();
		const path = `test-results/screenshots/${name}-desktop-${theme}.png`;
		await page.screenshot({ path, fullPage: true });
		await test.info().attach(`${name}-${theme}`, { path, contentType: 'image/png' });
	}
	await page.emulateMedia({ colorScheme: 'light' });
}

test('continue with GitHub signs a new person up and lands on their team', async ({ page }) => {
	await seedGithubApp(db.db, fake);
	const id = Math.floor(Math.random() * 1e9);
	const email = `octo-${id}@example.com`;
	fake.addUser({
		id,
		login: `octo-${id}`,
		name: 'Octo Person',
		emails: [{ email, primary: true, verified: true }]
	});
	fake.state.browserUserId = id;

	await page.setViewportSize({ width: 1280, height: 800 });
	await page.goto('/login');
	await expect(page.getByRole('link', { name: 'Continue with GitHub' })).toBeVisible();
	await shoot(page, 'login-with-github');

	await page.getByRole('link', { name: 'Continue with GitHub' }).click();
	await expect(page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();
	await page.getByRole('button', { name: 'Account menu' }).click();
	await expect(page.getByTestId('shell-user-name')).toHaveText('Octo Person');

	await page.goto('/account');
	await expect(page.getByTestId('github-connection')).toContainText(`Connected as octo-${id}`);
	// No password: GitHub is the only way in, so it stays connected.
	await page.getByRole('button', { name: 'Disconnect' }).click();
	await expect(page.getByText('GitHub is the only way you log in')).toBeVisible();
	await page.screenshot({ path: 'test-results/screenshots/account-github-desktop-light.png' });
});

test('an admin creates the GitHub App from Admin → GitHub', async ({ page }) => {
	await db.db.delete(githubApp);
	const person = newUser('admin');
	await page.setViewportSize({ width: 1280, height: 800 });
	await signUp(page, person);
	await db.db.update(users).set({ isInstanceAdmin: true }).where(eq(users.email, person.email));

	await page.reload();
	await expect(async () => {
		await page.getByRole('button', { name: 'Account menu' }).click();
		await expect(page.getByRole('link', { name: 'Admin: GitHub' })).toBeVisible({ timeout: 1000 });
	}).toPass({ timeout: 20_000 });
	await page.getByRole('link', { name: 'Admin: GitHub' }).click();
	await expect(page.getByRole('heading', { name: 'Create the GitHub App' })).toBeVisible();
	await shoot(page, 'admin-github-create');

	await page.getByLabel('GitHub address').fill(fake.url);
	await page.getByLabel('App name').fill('Slipway e2e');
	await page.getByRole('button', { name: 'Create on GitHub' }).click();
	// The page posts the manifest to (fake) GitHub, which sends the browser back with a code.
	await expect(page.getByText('GitHub App Slipway e2e created')).toBeVisible();
	await expect(page.getByTestId('github-app')).toContainText('octocat');
	await expect(page.getByRole('link', { name: 'Install the App on GitHub' })).toHaveAttribute(
		'href',
		`${fake.url}/apps/${fake.state.app.slug}/installations/new`
	);
	const [row] = await db.db.select().from(githubApp);
	expect(row.privateKeySealed).not.toContain('PRIVATE KEY');
	await page.goto('/admin/github');
	await shoot(page, 'admin-github');
});
