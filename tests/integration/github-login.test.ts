import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceSettings, oauthAccounts, users } from '../../src/lib/server/db/schema/index.ts';
import { CookieBrowser, pageText } from '../helpers/cookie-browser.ts';
import { seedGithubApp } from '../helpers/fake-github/seed.ts';
import { startGithubWeb } from '../helpers/github-web.ts';
import { makeUser } from '../helpers/world.ts';

/**
 * Logging in with GitHub, signing up with it and connecting it to an account, through the real
 * web server and a fake GitHub whose App this instance has, the way a browser walks them.
 */
let world: Awaited<ReturnType<typeof startGithubWeb>>;
let t: typeof world.t;
let fake: typeof world.fake;
let web: typeof world.web;

beforeAll(async () => {
	world = await startGithubWeb('gh_login');
	({ t, fake, web } = world);
	await seedGithubApp(t.db, fake);
	// The instance's first user (its admin): who signs up with GitHub next is an ordinary user.
	await makeUser(t.db, 'Ada Admin');
});
afterAll(() => world?.stop());

describe('logging in with GitHub', () => {
	let nextId = 700;
	let newbieGithubId = 0;
	const githubUser = (email: string, verified = true, extra: { name?: string } = {}) => {
		const user = fake.addUser({
			id: ++nextId,
			login: `gh-${nextId}`,
			name: extra.name ?? `GitHub ${nextId}`,
			emails: [{ email, primary: true, verified }]
		});
		fake.state.browserUserId = user.id;
		return user;
	};
	const userByEmail = async (email: string) =>
		(await t.db.select().from(users).where(eq(users.email, email)))[0];
	const linkOf = async (githubId: number) =>
		(
			await t.db
				.select()
				.from(oauthAccounts)
				.where(eq(oauthAccounts.providerUserId, String(githubId)))
		)[0];

	it('shows "Continue with GitHub" on the login and sign-up pages', async () => {
		for (const path of ['/login', '/signup']) {
			const page = await new CookieBrowser().follow(`${web.url}${path}`);
			expect(pageText(page.html)).toContain('Continue with GitHub');
		}
	});

	it('signs a new user up (no password), then signs the same account in next time', async () => {
		const gh = githubUser('newbie@example.com', true, { name: 'New Bie' });
		newbieGithubId = gh.id;
		const b = new CookieBrowser();
		const page = await b.follow(`${web.url}/login/github`);
		expect(page.response.status).toBe(200);
		expect(page.url).toBe(`${web.url}/new-bie`);
		expect(b.cookie(web.url, 'slipway_session')).toBeTruthy();
		const user = await userByEmail('newbie@example.com');
		expect(user).toMatchObject({ name: 'New Bie', passwordHash: null, isInstanceAdmin: false });
		expect(await linkOf(gh.id)).toMatchObject({ userId: user.id, login: gh.login });

		const before = (await t.db.select().from(users)).length;
		const second = new CookieBrowser();
		const again = await second.follow(`${web.url}/login/github?redirectTo=/account`);
		expect(again.url).toBe(`${web.url}/account`);
		expect(pageText(again.html)).toContain('newbie@example.com');
		expect((await t.db.select().from(users)).length).toBe(before);
	});

	it('links an existing account whose email is GitHub’s verified primary email', async () => {
		const carol = await makeUser(t.db, 'Carol');
		const gh = githubUser(carol.email.toUpperCase());
		const b = new CookieBrowser();
		const page = await b.follow(`${web.url}/login/github`);
		expect(page.url).toBe(`${web.url}/${carol.team.slug}`);
		expect(await linkOf(gh.id)).toMatchObject({ userId: carol.user.id });
	});

	it('refuses to link on an address GitHub has not verified, and says what to do', async () => {
		const dave = await makeUser(t.db, 'Dave');
		const gh = githubUser(dave.email, false);
		const b = new CookieBrowser();
		const page = await b.follow(`${web.url}/login/github`);
		expect(page.url).toBe(`${web.url}/login`);
		expect(pageText(page.html)).toContain(
			'Log in with your password, then connect GitHub from the account page'
		);
		expect(b.cookie(web.url, 'slipway_session')).toBeUndefined();
		expect(await linkOf(gh.id)).toBeUndefined();
	});

	it('respects the sign-up policy', async () => {
		await t.db
			.insert(instanceSettings)
			.values({ id: 1, signupMode: 'invite_only' })
			.onConflictDoUpdate({ target: instanceSettings.id, set: { signupMode: 'invite_only' } });
		try {
			githubUser('stranger@example.com');
			const page = await new CookieBrowser().follow(`${web.url}/login/github`);
			expect(pageText(page.html)).toContain('Sign-up on this instance is by invitation only');
			expect(await userByEmail('stranger@example.com')).toBeUndefined();
		} finally {
			await t.db.update(instanceSettings).set({ signupMode: 'open' });
		}
	});

	it('explains a code GitHub does not accept, and a state that does not match', async () => {
		githubUser('someone@example.com');
		const b = new CookieBrowser();
		const toGithub = await b.request(`${web.url}/login/github`);
		const authorize = await b.request(toGithub.headers.get('location')!);
		const back = new URL(authorize.headers.get('location')!);
		back.searchParams.set('code', 'bogus');
		const bad = await b.follow(back.toString());
		expect(bad.url).toBe(`${web.url}/login`);
		expect(pageText(bad.html)).toContain('sign-in code expired or was already used');

		const c = new CookieBrowser();
		const start = await c.request(`${web.url}/login/github`);
		const auth = await c.request(start.headers.get('location')!);
		const forged = new URL(auth.headers.get('location')!);
		forged.searchParams.set('state', 'forged');
		const refused = await c.follow(forged.toString());
		expect(pageText(refused.html)).toContain('expired or was started in another browser');
		expect(c.cookie(web.url, 'slipway_session')).toBeUndefined();
		expect(await userByEmail('someone@example.com')).toBeUndefined();
	});

	it('hands an installation redirect (GitHub sends it to the callback URL) to the install callback', async () => {
		const query = '?code=c0de&installation_id=42&setup_action=install&state=s';
		const res = await new CookieBrowser().request(`${web.url}/login/github/callback${query}`);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(`/api/github/setup${query}`);
	});

	it('connects and disconnects GitHub from the account page', async () => {
		const erin = await makeUser(t.db, 'Erin');
		const gh = githubUser('erin-elsewhere@example.com');
		const b = world.signedIn(erin.token);
		const before = await b.follow(`${web.url}/account`);
		expect(pageText(before.html)).toContain('Connected accounts');
		expect(pageText(before.html)).toContain('Connect GitHub');

		const page = await b.follow(`${web.url}/account?/connectGithub`, { form: {} });
		expect(page.url).toBe(`${web.url}/account`);
		expect(pageText(page.html)).toContain(`GitHub account ${gh.login} connected`);
		expect(pageText(page.html)).toContain(`Connected as ${gh.login}`);
		expect(await linkOf(gh.id)).toMatchObject({ userId: erin.user.id });

		const off = await b.request(`${web.url}/account?/disconnectGithub`, { form: {} });
		expect(off.status).toBe(200);
		expect(pageText(await off.text())).toContain('GitHub disconnected from your account');
		expect(await linkOf(gh.id)).toBeUndefined();
	});

	it('refuses to connect a GitHub account that belongs to someone else', async () => {
		const frank = await makeUser(t.db, 'Frank');
		const newbieLink = await linkOf(newbieGithubId);
		expect(newbieLink).toBeDefined();
		fake.state.browserUserId = newbieGithubId;
		const b = world.signedIn(frank.token);
		const page = await b.follow(`${web.url}/account?/connectGithub`, { form: {} });
		expect(pageText(page.html)).toContain('is already connected to another Slipway account');
		expect((await linkOf(newbieGithubId)).userId).toBe(newbieLink.userId);
	});

	it('refuses to disconnect GitHub when it is the only way to log in', async () => {
		const newbie = await userByEmail('newbie@example.com');
		const { createSession } = await import('../../src/lib/server/auth/session.ts');
		const { token } = await createSession({ db: t.db, userId: newbie.id, ttlDays: 1 });
		const b = world.signedIn(token);
		const res = await b.request(`${web.url}/account?/disconnectGithub`, { form: {} });
		expect(res.status).toBe(409);
		expect(pageText(await res.text())).toContain('GitHub is the only way you log in');
		const [link] = await t.db
			.select()
			.from(oauthAccounts)
			.where(eq(oauthAccounts.userId, newbie.id));
		expect(link).toBeDefined();
	});
});
