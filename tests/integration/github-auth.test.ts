import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	githubApp,
	instanceSettings,
	oauthAccounts,
	users
} from '../../src/lib/server/db/schema/index.ts';
import { loadGithubApp } from '../../src/lib/server/github/app.ts';
import { CookieBrowser, decodeEntities, pageText } from '../helpers/cookie-browser.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github/server.ts';
import { freePort, startWeb, type RunningProcess } from '../helpers/server.ts';
import { makeUser, testKeyring } from '../helpers/world.ts';

/**
 * The instance's GitHub App (manifest flow) and logging in with GitHub, through the real web
 * server and a fake GitHub, the way a browser walks them: forms, redirects and cookies.
 */
let t: Awaited<ReturnType<typeof createTestDatabase>>;
let web: RunningProcess;
let fake: FakeGithub;
let admin: Awaited<ReturnType<typeof makeUser>>;
let bob: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
	t = await createTestDatabase('ghauth');
	admin = await makeUser(t.db, 'Ada Admin');
	bob = await makeUser(t.db, 'Bob Member');
	fake = await startFakeGithub();
	web = await startWeb(t.url);
});
afterAll(async () => {
	await web?.stop();
	await fake?.close();
	await t?.drop();
});

const signedIn = (token: string) => {
	const b = new CookieBrowser();
	b.setCookie(web.url, 'slipway_session', token);
	return b;
};
const appRows = async () => (await t.db.select().from(githubApp)).length;
const conversions = () => fake.calls('POST', '/api/v3/app-manifests/:code/conversions');

/** Submits "Create on GitHub" and reads the form the page then posts to GitHub. */
async function startManifest(b: CookieBrowser, fields: Record<string, string> = {}) {
	const res = await b.request(`${web.url}/admin/github?/create`, {
		form: { webUrl: fake.url, organization: '', name: 'Slipway Test', ...fields }
	});
	expect(res.status).toBe(200);
	const html = await res.text();
	const form = /<form[^>]*action="([^"]+)"[^>]*data-testid="manifest-form"/.exec(html);
	const manifest = /name="manifest" value="([^"]+)"/.exec(html);
	expect(form, pageText(html)).not.toBeNull();
	return { action: decodeEntities(form![1]), manifest: decodeEntities(manifest![1]) };
}

describe('admin area', () => {
	it('refuses a non-admin with a clear message, and stores nothing', async () => {
		const b = signedIn(bob.token);
		const page = await b.follow(`${web.url}/admin/github`);
		expect(page.response.status).toBe(403);
		expect(pageText(page.html)).toContain('Only instance admins can open the admin area');
		expect(
			(await b.request(`${web.url}/admin/github?/create`, { form: { name: 'x' } })).status
		).toBe(403);
		expect((await b.request(`${web.url}/admin/github/callback?code=c&state=s`)).status).toBe(403);
		expect(await appRows()).toBe(0);
	});

	it('opens on the GitHub page for an admin', async () => {
		const res = await signedIn(admin.token).request(`${web.url}/admin`);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/admin/github');
		expect((await signedIn(bob.token).request(`${web.url}/admin`)).status).toBe(403);
	});

	it('sends an anonymous visitor to the login page', async () => {
		const res = await new CookieBrowser().request(`${web.url}/admin/github`);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/login?redirectTo=%2Fadmin%2Fgithub');
	});

	it('does not offer "Continue with GitHub" before an App exists', async () => {
		const page = await new CookieBrowser().follow(`${web.url}/login`);
		expect(pageText(page.html)).not.toContain('Continue with GitHub');
		const start = await new CookieBrowser().follow(`${web.url}/login/github`);
		expect(start.url).toBe(`${web.url}/login`);
		expect(pageText(start.html)).toContain('Signing in with GitHub is not set up on this instance');
	});
});

describe('creating the GitHub App (manifest flow)', () => {
	it('builds the manifest for this instance and posts it to the chosen GitHub', async () => {
		const b = signedIn(admin.token);
		const page = await b.follow(`${web.url}/admin/github`);
		expect(pageText(page.html)).toContain('Create the GitHub App');
		const { action, manifest } = await startManifest(b, { organization: 'acme' });
		expect(action).toMatch(
			new RegExp(`^${fake.url}/organizations/acme/settings/apps/new\\?state=[\\w-]{20,}$`)
		);
		expect(JSON.parse(manifest)).toMatchObject({
			name: 'Slipway Test',
			url: web.url,
			hook_attributes: { url: `${web.url}/api/webhooks/github` },
			redirect_url: `${web.url}/admin/github/callback`,
			callback_urls: [`${web.url}/login/github/callback`],
			setup_url: `${web.url}/api/github/setup`,
			public: false
		});
	});

	it('shows what is wrong with the form beside its field', async () => {
		const b = signedIn(admin.token);
		const res = await b.request(`${web.url}/admin/github?/create`, {
			form: { webUrl: 'github.com', organization: 'bad org', name: 'Slipway' }
		});
		expect(res.status).toBe(400);
		const text = pageText(await res.text());
		expect(text).toContain('Enter an address such as https://github.com.');
		expect(text).toContain('Letters, digits and single hyphens only.');
	});

	it('refuses an answer whose state does not match, without converting or storing anything', async () => {
		const b = signedIn(admin.token);
		const { action, manifest } = await startManifest(b);
		const toGithub = await b.request(action, { form: { manifest } });
		const back = new URL(toGithub.headers.get('location')!);
		back.searchParams.set('state', 'forged');
		const page = await b.follow(back.toString());
		expect(page.url).toBe(`${web.url}/admin/github`);
		expect(pageText(page.html)).toContain('does not match an App creation started here');
		// The same code from another browser (no state cookie at all) is refused too.
		const other = signedIn(admin.token);
		const again = await other.follow(toGithub.headers.get('location')!);
		expect(pageText(again.html)).toContain('Nothing was saved');
		expect(conversions()).toHaveLength(0);
		expect(await appRows()).toBe(0);
	});

	it('explains an expired code and an unreachable GitHub, and changes nothing', async () => {
		const b = signedIn(admin.token);
		const { action, manifest } = await startManifest(b);
		const toGithub = await b.request(action, { form: { manifest } });
		fake.state.manifests.clear(); // GitHub's code lives one hour and works once
		const expired = await b.follow(toGithub.headers.get('location')!);
		expect(pageText(expired.html)).toContain('expires after an hour and works once');

		const down = `http://127.0.0.1:${await freePort()}`;
		const started = await startManifest(b, { webUrl: down });
		const state = new URL(started.action).searchParams.get('state')!;
		const unreachable = await b.follow(
			`${web.url}/admin/github/callback?code=abc&state=${encodeURIComponent(state)}`
		);
		expect(pageText(unreachable.html)).toContain(
			`GitHub (${down}/api/v3) could not be reached to finish creating the App`
		);
		expect(await appRows()).toBe(0);
	});

	it('stores the App GitHub created with its secrets sealed, and shows how to install it', async () => {
		const b = signedIn(admin.token);
		const { action, manifest } = await startManifest(b);
		const converted = conversions().length;
		const page = await b.follow(action, { form: { manifest } });
		expect(page.url).toBe(`${web.url}/admin/github`);
		expect(conversions()).toHaveLength(converted + 1);
		const text = pageText(page.html);
		expect(text).toContain('GitHub App Slipway Test created');
		expect(text).toContain('octocat');
		expect(text).toContain(`${web.url}/api/webhooks/github`);
		expect(page.html).toContain(`href="${fake.url}/apps/slipway-test/installations/new"`);
		expect(page.html).toContain(`href="${fake.url}/apps/slipway-test"`);

		const raw = JSON.stringify(await t.db.execute(sql`select * from github_app`));
		const secrets = fake.state.app;
		for (const secret of [secrets.clientSecret, secrets.webhookSecret]) {
			expect(raw).not.toContain(secret);
		}
		expect(raw).not.toContain('PRIVATE KEY');
		expect(raw).not.toContain(secrets.privateKey.split('\n')[1]);
		const opened = await loadGithubApp(t.db, testKeyring);
		expect(opened).toMatchObject({
			webUrl: fake.url,
			apiUrl: fake.apiUrl,
			appId: secrets.id,
			slug: 'slipway-test',
			clientId: secrets.clientId,
			clientSecret: secrets.clientSecret,
			webhookSecret: secrets.webhookSecret,
			privateKey: secrets.privateKey
		});

		// The page never carries a secret either.
		expect(page.html).not.toContain(secrets.clientSecret);
		const again = await b.follow(`${web.url}/admin/github`);
		expect(pageText(again.html)).not.toContain('Create the GitHub App');
	});
});

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
		const b = signedIn(erin.token);
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
		const b = signedIn(frank.token);
		const page = await b.follow(`${web.url}/account?/connectGithub`, { form: {} });
		expect(pageText(page.html)).toContain('is already connected to another Slipway account');
		expect((await linkOf(newbieGithubId)).userId).toBe(newbieLink.userId);
	});

	it('refuses to disconnect GitHub when it is the only way to log in', async () => {
		const newbie = await userByEmail('newbie@example.com');
		const { createSession } = await import('../../src/lib/server/auth/session.ts');
		const { token } = await createSession({ db: t.db, userId: newbie.id, ttlDays: 1 });
		const b = signedIn(token);
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

describe('removing the App', () => {
	it('forgets the App after confirmation, so it can be created again', async () => {
		const b = signedIn(admin.token);
		const refused = await b.request(`${web.url}/admin/github?/remove`, { form: {} });
		expect(refused.status).toBe(400);
		expect(await appRows()).toBe(1);
		const res = await b.request(`${web.url}/admin/github?/remove`, { form: { confirm: 'remove' } });
		expect(res.status).toBe(200);
		expect(pageText(await res.text())).toContain('The GitHub App was removed from Slipway');
		expect(await appRows()).toBe(0);
		const page = await b.follow(`${web.url}/admin/github`);
		expect(pageText(page.html)).toContain('Create the GitHub App');
		const login = await new CookieBrowser().follow(`${web.url}/login`);
		expect(pageText(login.html)).not.toContain('Continue with GitHub');
	});
});
