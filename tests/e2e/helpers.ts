import { expect, type Page } from '@playwright/test';

export const PASSWORD = 'correct horse battery';

/** A new, unique person per test, so tests can run in parallel against one database. */
export function newUser(label = 'user') {
	const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
	const name = `${label[0].toUpperCase()}${label.slice(1)} ${id}`;
	return { name, email: `${label}-${id}@example.com`, password: PASSWORD };
}

export type User = ReturnType<typeof newUser>;

/** Signs up through the form and waits for the personal team's dashboard; returns its path. */
export async function signUp(page: Page, user: User): Promise<string> {
	await page.goto('/signup');
	await page.getByLabel('Name').fill(user.name);
	await page.getByLabel('Email').fill(user.email);
	await page.getByLabel('Password').fill(user.password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();
	return new URL(page.url()).pathname;
}

export async function logIn(page: Page, email: string, password: string) {
	await page.goto('/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
}

export async function logOut(page: Page) {
	// A click that lands before the page is hydrated opens nothing: click again, as a person would.
	await expect(async () => {
		await page.getByRole('button', { name: 'Account menu' }).click();
		await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible({ timeout: 1000 });
	}).toPass({ timeout: 20_000 });
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login$/);
}
