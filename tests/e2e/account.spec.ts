import { expect, test } from './test.ts';
import { logIn, newUser, PASSWORD, signUp } from './helpers';

test('changing the name shows it in the shell', async ({ page }) => {
	await signUp(page, newUser('rename'));
	await page.goto('/account');

	await page.getByLabel('Name').fill('');
	await page.getByRole('button', { name: 'Save profile' }).click();
	await expect(page.getByText('Enter your name.')).toBeVisible();

	await page.getByLabel('Name').fill('Renamed Person');
	await page.getByRole('button', { name: 'Save profile' }).click();
	await expect(page.getByText('Profile saved.')).toBeVisible();

	await page.getByRole('button', { name: 'Account menu' }).click();
	await expect(page.getByTestId('shell-user-name')).toHaveText('Renamed Person');
});

test('an email used by another account is refused beside the field', async ({ page }) => {
	const first = newUser('taken');
	await signUp(page, first);
	await page.context().clearCookies();
	await signUp(page, newUser('taker'));
	await page.goto('/account');
	await page.getByLabel('Email').fill(first.email);
	await page.getByRole('button', { name: 'Save profile' }).click();
	await expect(page.getByText('Another account already uses this email.')).toBeVisible();
});

test('revoking a session logs that browser out', async ({ page, browser }) => {
	const user = newUser('revoke');
	await signUp(page, user);

	const other = await browser.newContext();
	const otherPage = await other.newPage();
	await logIn(otherPage, user.email, user.password);
	await expect(otherPage.getByRole('heading', { name: 'No projects yet' })).toBeVisible();

	await page.goto('/account');
	const sessions = page.getByTestId('session');
	await expect(sessions).toHaveCount(2);
	await expect(sessions.filter({ hasText: 'This device' })).toHaveCount(1);
	await expect(sessions.first()).toContainText('127.0.0.1');
	await page.getByRole('button', { name: /^Revoke/ }).click();
	await expect(page.getByText('Session revoked: that device is logged out.')).toBeVisible();
	await expect(sessions).toHaveCount(1);

	await otherPage.reload();
	await expect(otherPage).toHaveURL(/\/login/);
	// This browser is still signed in.
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Account settings' })).toBeVisible();
	await other.close();
});

test('changing the password keeps this session and logs out the others', async ({
	page,
	browser
}) => {
	const user = newUser('secure');
	await signUp(page, user);
	const other = await browser.newContext();
	const otherPage = await other.newPage();
	await logIn(otherPage, user.email, user.password);
	await expect(otherPage.getByRole('heading', { name: 'No projects yet' })).toBeVisible();

	await page.goto('/account');
	await page.getByLabel('Current password').fill('wrong password');
	await page.getByLabel('New password').fill('a brand new password');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByText('Your current password is not correct.')).toBeVisible();

	await page.getByLabel('Current password').fill(PASSWORD);
	await page.getByLabel('New password').fill('a brand new password');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByText('Every other session was logged out.')).toBeVisible();
	await expect(page.getByTestId('session')).toHaveCount(1);

	await otherPage.reload();
	await expect(otherPage).toHaveURL(/\/login/);
	await other.close();
});

test('"Log out everywhere else" ends the other sessions', async ({ page, browser }) => {
	const user = newUser('everywhere');
	await signUp(page, user);
	const other = await browser.newContext();
	const otherPage = await other.newPage();
	await logIn(otherPage, user.email, user.password);
	await expect(otherPage.getByRole('heading', { name: 'No projects yet' })).toBeVisible();

	await page.goto('/account');
	await page.getByRole('button', { name: 'Log out everywhere else' }).click();
	await expect(page.getByText('Logged out 1 other session.')).toBeVisible();
	await expect(page.getByText('This is your only session.')).toBeVisible();

	await otherPage.reload();
	await expect(otherPage).toHaveURL(/\/login/);
	await other.close();
});
