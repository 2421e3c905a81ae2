import { expect, test, type Page } from './test.ts';
import { fixtureFiles } from '../helpers/deploy.ts';
import { createGitRepo } from '../helpers/git-repo.ts';
import { newUser, signUp } from './helpers.ts';
import { e2eInstance } from './instance.ts';

/**
 * The main journey of issue 5, against the real instance tests/e2e/serve.ts starts (web, worker,
 * Caddy, Docker): sign up → project from a local Git repository → build log streams in live →
 * ready → the app answers through Caddy → change a variable and redeploy → roll back → find a
 * line the app printed in the runtime log explorer. A screenshot of every page is kept.
 */
test.setTimeout(420_000);

const shot = (page: Page, name: string) =>
	page.screenshot({ path: `test-results/screenshots/journey-${name}.png`, fullPage: true });

/**
 * What the `versioned` app answers at a URL served by Caddy, opened in a tab of the browser
 * (Chromium resolves `*.localhost` to this machine; Node's resolver does not).
 */
async function appAnswer(page: Page, url: string) {
	const tab = await page.context().newPage();
	try {
		const res = await tab.goto(url);
		if (!res?.ok()) return null;
		return JSON.parse(await res.text()) as { deployment: string; greeting: string | null };
	} catch {
		return null;
	} finally {
		await tab.close();
	}
}

const stateBadge = (page: Page) => page.getByTestId('state-badge').first();

async function waitReady(page: Page) {
	await expect(stateBadge(page)).toHaveAttribute('data-state', 'ready', { timeout: 240_000 });
}

test('from sign-up to a live app, a redeploy with a new variable, a rollback and a log search', async ({
	page
}) => {
	const repo = await createGitRepo({ files: await fixtureFiles('versioned') });
	const teamPath = await signUp(page, newUser('journey'));

	// New project from the local repository: detection, settings, create and deploy.
	await page.goto(`${teamPath}/new`);
	await page.getByLabel('Git repository URL').fill(repo.path);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page.getByLabel('Project name')).toBeVisible({ timeout: 30_000 });
	await page.getByLabel('Project name').fill('journey');
	await page.getByLabel('Port', { exact: true }).fill('8000');
	await shot(page, 'new-project');
	await page.getByRole('button', { name: 'Create and deploy' }).click();

	// The deployment page: the build log streams in before the deployment is ready.
	await expect(page).toHaveURL(/\/journey[\w-]*\/deployments\/[0-9a-f-]{36}$/, { timeout: 30_000 });
	const firstUrl = page.url();
	const firstId = firstUrl.split('/').at(-1)!;
	const log = page.getByTestId('log-viewport');
	await expect
		.poll(async () => Number(await log.getAttribute('data-lines')), { timeout: 120_000 })
		.toBeGreaterThan(0);
	// Lines arrived while the deployment was still on its way: the log is live, not loaded at the end.
	expect(await stateBadge(page).getAttribute('data-state')).not.toBe('ready');
	await waitReady(page);
	await expect(log).toContainText('Routes are live');
	await shot(page, 'deployment-ready');

	// Its URLs answer through Caddy: the immutable one and production.
	const { caddyHttpPort } = e2eInstance();
	const projectPath = new URL(firstUrl).pathname.split('/deployments/')[0];
	const slug = projectPath.split('/').at(-1)!;
	const production = `http://${slug}.localhost:${caddyHttpPort}/`;
	const immutable = page.getByRole('link', { name: /-id-[0-9a-f]{7}\.localhost/ }).first();
	await expect(immutable).toBeVisible();
	expect(await appAnswer(page, (await immutable.getAttribute('href'))!)).toMatchObject({
		deployment: firstId
	});
	expect(await appAnswer(page, production)).toMatchObject({ deployment: firstId, greeting: null });

	// A new variable, then a redeploy picks it up.
	await page.goto(`${projectPath}/settings`);
	const form = page.getByRole('form', { name: 'Add a variable' });
	await form.getByLabel('Name').fill('GREETING');
	await form.getByLabel('Value').fill('hello from the journey');
	await form.getByRole('button', { name: 'Add variable' }).click();
	await expect(page.getByRole('list', { name: 'Environment variables' })).toContainText('GREETING');
	await shot(page, 'settings');

	await page.goto(firstUrl);
	await page.getByRole('button', { name: 'Redeploy' }).click();
	await expect(page).not.toHaveURL(firstUrl, { timeout: 30_000 });
	const secondId = page.url().split('/').at(-1)!;
	await waitReady(page);
	await expect
		.poll(() => appAnswer(page, production), { timeout: 10_000 })
		.toMatchObject({ deployment: secondId, greeting: 'hello from the journey' });

	// Roll back to the first deployment: production serves it again.
	await page.goto(firstUrl);
	await page.getByRole('button', { name: 'Roll back to this' }).click();
	await page.getByRole('button', { name: 'Roll back', exact: true }).click();
	await expect(page.getByText(/auto-deploy of production is paused/i).first()).toBeVisible();
	await expect
		.poll(() => appAnswer(page, production), { timeout: 10_000 })
		.toMatchObject({ deployment: firstId });
	await shot(page, 'rolled-back');

	// The line the app printed at start is in the runtime logs, found by search.
	await page.goto(`${projectPath}/logs`);
	await page.getByPlaceholder(/Search log lines/).fill('listening');
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page.getByText(/versioned v1 listening/).first()).toBeVisible({ timeout: 15_000 });
	await shot(page, 'log-search');

	await page.goto(projectPath);
	await shot(page, 'project-overview');
	await page.goto(`${projectPath}/deployments`);
	await expect(
		page.getByText(firstId.slice(0, 7)).or(page.getByRole('link').first())
	).toBeVisible();
	await shot(page, 'deployments');
});
