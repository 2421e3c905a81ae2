import { expect, test, type Page } from './test.ts';
import { logOut, newUser, signUp } from './helpers';

// Every page at desktop and phone width, light and dark: saved to test-results/screenshots/
// (and attached to the report) so a person can look at them; none may scroll sideways.
const viewports = {
	desktop: { width: 1280, height: 800 },
	phone: { width: 375, height: 740 }
};
const themes = ['light', 'dark'] as const;

/** `prepare` runs after each reload, e.g. to open a menu or show validation errors. */
async function capture(page: Page, name: string, prepare?: () => Promise<void>) {
	for (const [size, viewport] of Object.entries(viewports)) {
		await page.setViewportSize(viewport);
		for (const theme of themes) {
			await page.emulateMedia({ colorScheme: theme });
			await page.reload();
			if (theme === 'dark') await expect(page.locator('html')).toHaveClass(/dark/);
			else await expect(page.locator('html')).not.toHaveClass(/dark/);
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

test('screenshots of every page', async ({ page }) => {
	test.setTimeout(180_000);
	await page.goto('/login');
	await capture(page, 'login');
	await page.goto('/signup');
	await capture(page, 'signup');
	await capture(page, 'signup-errors', async () => {
		await page.getByLabel('Email').fill('not-an-email');
		await page.getByLabel('Password').fill('short');
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page.getByText('Use at least 10 characters.')).toBeVisible();
	});

	const user = newUser('screenshot');
	user.name = 'Ada Lovelace';
	await signUp(page, user);
	await capture(page, 'dashboard');
	await capture(page, 'team-menu', async () => {
		await page.getByRole('button', { name: /Switch team/ }).click();
		await expect(page.getByRole('link', { name: 'Create team' })).toBeVisible();
	});
	await capture(page, 'account-menu', async () => {
		await page.getByRole('button', { name: 'Account menu' }).click();
		await expect(page.getByRole('link', { name: 'Account settings' })).toBeVisible();
	});
	await page.goto('/teams/new');
	await capture(page, 'new-team');
	await page.goto('/account');
	await capture(page, 'account');
	await page.goto('/someone-elses-team');
	await capture(page, '404');
	await page.goto('/not-found?host=nope.localhost');
	await capture(page, 'not-found-dashboard');

	await logOut(page);
	await page.goto('/this/page/does/not/exist');
	await capture(page, '404-logged-out');

	// What Caddy shows for an unknown app host (it rewrites every path of one to this page);
	// Chromium resolves *.localhost to loopback, so the server sees the host as Caddy passes it.
	const unknownHost = new URL('/_slipway/not-found', page.url());
	unknownHost.hostname = 'nope.localhost';
	const response = await page.goto(unknownHost.href);
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Deployment not found' })).toBeVisible();
	await expect(page.getByTestId('requested-host')).toHaveText('nope.localhost');
	await capture(page, 'not-found-unknown-host');
});
