import { expect, test } from './test.ts';
import { logIn, logOut, newUser, signUp } from './helpers';

test("another user's team and a missing team both show the same 404 page", async ({ page }) => {
	const owner = newUser('owner');
	const ownerTeam = await signUp(page, owner);
	await logOut(page);

	await signUp(page, newUser('intruder'));
	const response = await page.goto(ownerTeam);
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Team not found' })).toBeVisible();
	await expect(page.getByText(owner.name)).toHaveCount(0);

	const missing = await page.goto('/no-such-team-here');
	expect(missing?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Team not found' })).toBeVisible();
});

test('a team URL asks a logged-out visitor to log in, then returns there', async ({ page }) => {
	const user = newUser('return');
	const teamPath = await signUp(page, user);
	await logOut(page);

	await page.goto(teamPath);
	await expect(page).toHaveURL(`/login?redirectTo=${encodeURIComponent(teamPath)}`);
	await logIn(page, user.email, user.password);
	await expect(page).toHaveURL(teamPath);
});

test('create a team, land on it and find it in the team switcher', async ({ page }) => {
	const user = newUser('founder');
	const personal = await signUp(page, user);

	await page.getByRole('button', { name: /Switch team/ }).click();
	await page.getByRole('link', { name: 'Create team' }).click();
	await page.getByRole('button', { name: 'Create team' }).click();
	await expect(page.getByText('Enter a team name.')).toBeVisible();

	await page.getByLabel('Team name').fill('Rocket Science');
	await page.getByRole('button', { name: 'Create team' }).click();
	await expect(page).toHaveURL(/\/rocket-science(-\d+)?$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Rocket Science' })).toBeVisible();

	await page.getByRole('button', { name: /Switch team/ }).click();
	await page.getByRole('link', { name: user.name }).click();
	await expect(page).toHaveURL(personal);
});

test('the shell works with the keyboard alone', async ({ page }) => {
	await signUp(page, newUser('keys'));

	const menu = page.getByRole('button', { name: 'Account menu' });
	await menu.focus();
	await page.keyboard.press('Enter');
	await expect(menu).toHaveAttribute('aria-expanded', 'true');
	await page.keyboard.press('Escape');
	await expect(menu).toHaveAttribute('aria-expanded', 'false');
	await expect(menu).toBeFocused();

	await page.keyboard.press('Enter');
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Account settings' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'Account settings' })).toBeVisible();
});

test('the theme toggle switches to dark and remembers it', async ({ page }) => {
	await page.emulateMedia({ colorScheme: 'light' });
	await signUp(page, newUser('theme'));
	const html = page.locator('html');
	await expect(html).not.toHaveClass(/dark/);

	await page.getByRole('button', { name: 'Dark theme' }).click();
	await expect(html).toHaveClass(/dark/);
	await page.reload();
	await expect(html).toHaveClass(/dark/);
	await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
});
