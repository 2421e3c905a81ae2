import { expect, test } from './test.ts';
import { logIn, logOut, newUser, signUp } from './helpers';

test('sign up, log out and log back in to the team dashboard', async ({ page }) => {
	const user = newUser('ada');
	const teamPath = await signUp(page, user);

	await expect(page.getByRole('heading', { level: 1, name: user.name })).toBeVisible();
	await expect(page.getByRole('main')).toContainText(/Your role:\s*owner/);

	await logOut(page);
	await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
	// The old session is gone: the dashboard now asks to log in.
	await page.goto(teamPath);
	await expect(page).toHaveURL(/\/login\?redirectTo=/);

	await logIn(page, user.email, user.password);
	await expect(page).toHaveURL(teamPath);
	await expect(page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();
});

test('a wrong password shows an error and stays on the login page', async ({ page }) => {
	const user = newUser('grace');
	await signUp(page, user);
	await logOut(page);

	await logIn(page, user.email, 'not the right password');
	await expect(page.getByText('Wrong email or password.')).toBeVisible();
	await expect(page).toHaveURL(/\/login$/);
	await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
});

test('too many wrong passwords show the rate limit message', async ({ page }) => {
	test.setTimeout(90_000);
	const user = newUser('mallory');
	await signUp(page, user);
	await logOut(page);

	// The server allows 10 attempts per email in 15 minutes (tests/e2e/serve.ts).
	await logIn(page, user.email, 'guess number 0');
	await expect(page.getByText('Wrong email or password.')).toBeVisible();
	const attempt = async (password: string) => {
		await page.getByLabel('Password').fill(password);
		const answered = page.waitForResponse((r) => r.request().method() === 'POST');
		await page.getByRole('button', { name: 'Log in' }).click();
		await answered;
	};
	for (let i = 1; i < 10; i++) {
		await attempt(`guess number ${i}`);
		await expect(page.getByText('Wrong email or password.')).toBeVisible();
	}
	await attempt(user.password);
	await expect(page.getByRole('alert')).toContainText('Too many attempts. Wait');
	await expect(page).toHaveURL(/\/login$/);
});

test('sign-up shows field errors for a malformed email and a short password', async ({ page }) => {
	const user = newUser('linus');
	await page.goto('/signup');
	await page.getByLabel('Name').fill(user.name);
	await page.getByLabel('Email').fill('not-an-email');
	await page.getByLabel('Password').fill('short');
	await page.getByRole('button', { name: 'Create account' }).click();

	await expect(page.getByText('Enter a valid email address, like you@example.com.')).toBeVisible();
	await expect(page.getByText('Use at least 10 characters.')).toBeVisible();
	await expect(page).toHaveURL(/\/signup$/);

	// Nothing was created: the same address can still sign up.
	await page.getByLabel('Email').fill(user.email);
	await page.getByLabel('Password').fill(user.password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('the server rejects a short password with a field error and creates nothing', async ({
		page
	}) => {
		const user = newUser('nojs');
		await page.goto('/signup');
		await page.getByLabel('Name').fill(user.name);
		await page.getByLabel('Email').fill(user.email);
		await page.getByLabel('Password').fill('short');
		await page.getByRole('button', { name: 'Create account' }).click();

		await expect(page.getByText('Use at least 10 characters.')).toBeVisible();
		await expect(page.getByLabel('Email')).toHaveValue(user.email);

		await logIn(page, user.email, 'short');
		await expect(page.getByText('Wrong email or password.')).toBeVisible();
	});
});

test('signing up twice with one email says the account already exists', async ({ page }) => {
	const user = newUser('dup');
	await signUp(page, user);
	await logOut(page);

	await page.goto('/signup');
	await page.getByLabel('Name').fill('Someone Else');
	await page.getByLabel('Email').fill(user.email.toUpperCase());
	await page.getByLabel('Password').fill('another long password');
	await page.getByRole('button', { name: 'Create account' }).click();

	await expect(page.getByText(/already exists/)).toBeVisible();
	await expect(page).toHaveURL(/\/signup$/);
});

test('a signed-in user visiting /login or /signup lands on their dashboard', async ({ page }) => {
	const user = newUser('back');
	const teamPath = await signUp(page, user);
	await page.goto('/login');
	await expect(page).toHaveURL(teamPath);
	await page.goto('/signup');
	await expect(page).toHaveURL(teamPath);
});

test('the login and sign-up pages link to each other', async ({ page }) => {
	await page.goto('/login');
	await page.getByRole('link', { name: 'Sign up' }).click();
	await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
	await page.getByRole('link', { name: 'Log in' }).click();
	await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
});
