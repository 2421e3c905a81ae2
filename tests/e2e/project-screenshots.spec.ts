import { expect, test, type Page } from './test.ts';
import { createGitRepo, removeGitRepos, sampleApps } from '../helpers/git-repo.ts';
import { newUser, signUp } from './helpers.ts';

test.afterAll(removeGitRepos);

// The project pages at desktop and phone width, light and dark, saved to test-results/screenshots/
// for a person to look at; none may scroll sideways.
const viewports = {
	desktop: { width: 1280, height: 800 },
	phone: { width: 375, height: 740 }
};

async function capture(page: Page, name: string, prepare?: () => Promise<void>) {
	for (const [size, viewport] of Object.entries(viewports)) {
		await page.setViewportSize(viewport);
		for (const theme of ['light', 'dark'] as const) {
			await page.emulateMedia({ colorScheme: theme });
			await page.reload();
			await prepare?.();
			const overflow = await page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			);
			expect(overflow, `${name} scrolls sideways at ${size} ${theme}`).toBeLessThanOrEqual(0);
			const path = `test-results/screenshots/${name}-${size}-${theme}.png`;
			await page.screenshot({ path, fullPage: true });
			await test.info().attach(`${name}-${size}-${theme}`, { path, contentType: 'image/png' });
		}
	}
}

test('screenshots of the project pages', async ({ page }) => {
	test.setTimeout(240_000);
	const teamPath = await signUp(page, newUser('shots'));
	await capture(page, 'dashboard-empty');

	const repo = await createGitRepo({ files: sampleApps.node, message: 'Add the checkout page' });
	await page.goto(`${teamPath}/new`);
	await capture(page, 'new-project');
	await page.getByLabel('Git repository URL').fill(repo.path);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page.getByTestId('detection')).toBeVisible();
	await page.getByLabel('Project name').fill(`Storefront ${Date.now().toString(36)}`);
	await page.setViewportSize(viewports.desktop);
	await page.screenshot({
		path: 'test-results/screenshots/new-project-detected-desktop-light.png',
		fullPage: true
	});
	await page.getByRole('button', { name: 'Create and deploy' }).click();
	await expect(page).toHaveURL(/\/deployments\//);
	const [, team, project] = new URL(page.url()).pathname.split('/');
	const projectPath = `/${team}/${project}`;

	await page.goto(teamPath);
	await capture(page, 'dashboard-projects');
	await page.goto(projectPath);
	await capture(page, 'project-overview');
	await page.goto(`${projectPath}/deployments`);
	await capture(page, 'project-deployments');
	await page.goto(`${projectPath}/settings`);
	await capture(page, 'project-settings');
});
