import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubApp } from '../../src/lib/server/db/schema/index.ts';
import { loadGithubApp } from '../../src/lib/server/github/app.ts';
import { CookieBrowser, decodeEntities, pageText } from '../helpers/cookie-browser.ts';
import { startGithubWeb } from '../helpers/github-web.ts';
import { freePort } from '../helpers/server.ts';
import { makeUser, testKeyring } from '../helpers/world.ts';

/**
 * Creating the instance's GitHub App (manifest flow) and removing it, through the real web
 * server and a fake GitHub, the way a browser walks it: forms, redirects and cookies.
 */
let world: Awaited<ReturnType<typeof startGithubWeb>>;
let t: typeof world.t;
let fake: typeof world.fake;
let web: typeof world.web;
let admin: Awaited<ReturnType<typeof makeUser>>;
let bob: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
	world = await startGithubWeb('gh_app_admin');
	({ t, fake, web } = world);
	admin = await makeUser(t.db, 'Ada Admin');
	bob = await makeUser(t.db, 'Bob Member');
});
afterAll(() => world?.stop());

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
		const b = world.signedIn(bob.token);
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
		const res = await world.signedIn(admin.token).request(`${web.url}/admin`);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/admin/github');
		expect((await world.signedIn(bob.token).request(`${web.url}/admin`)).status).toBe(403);
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
		const b = world.signedIn(admin.token);
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
		const b = world.signedIn(admin.token);
		const res = await b.request(`${web.url}/admin/github?/create`, {
			form: { webUrl: 'github.com', organization: 'bad org', name: 'Slipway' }
		});
		expect(res.status).toBe(400);
		const text = pageText(await res.text());
		expect(text).toContain('Enter an address such as https://github.com.');
		expect(text).toContain('Letters, digits and single hyphens only.');
	});

	it('refuses an answer whose state does not match, without converting or storing anything', async () => {
		const b = world.signedIn(admin.token);
		const { action, manifest } = await startManifest(b);
		const toGithub = await b.request(action, { form: { manifest } });
		const back = new URL(toGithub.headers.get('location')!);
		back.searchParams.set('state', 'forged');
		const page = await b.follow(back.toString());
		expect(page.url).toBe(`${web.url}/admin/github`);
		expect(pageText(page.html)).toContain('does not match an App creation started here');
		// The same code from another browser (no state cookie at all) is refused too.
		const other = world.signedIn(admin.token);
		const again = await other.follow(toGithub.headers.get('location')!);
		expect(pageText(again.html)).toContain('Nothing was saved');
		expect(conversions()).toHaveLength(0);
		expect(await appRows()).toBe(0);
	});

	it('explains an expired code and an unreachable GitHub, and changes nothing', async () => {
		const b = world.signedIn(admin.token);
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
		const b = world.signedIn(admin.token);
		const { action, manifest } = await startManifest(b);
		const converted = conversions().length;
		const page = await b.follow(action, { form: { manifest } });
		expect(page.url).toBe(`${web.url}/admin/github`);
		expect(conversions()).toHaveLength(converted + 1);
		const text = pageText(page.html);
		expect(text).toContain('GitHub App Slipway Test created');
		expect(text).toContain('octocat');
		expect(text).toContain(`${web.url}/api/webhooks/github`);
		// This test instance lives at 127.0.0.1: the admin is told github.com could not reach it.
		expect(text).toMatch(
			/This dashboard is at http:\/\/127\.0\.0\.1:\d+ ?, which github\.com cannot reach/
		);
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

describe('removing the App', () => {
	it('forgets the App after confirmation, so it can be created again', async () => {
		const b = world.signedIn(admin.token);
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
