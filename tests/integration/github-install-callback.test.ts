import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubApp, githubInstallations } from '../../src/lib/server/db/schema/index.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { seedGithubApp } from '../helpers/fake-github/seed.ts';
import {
	ALICE_GH,
	get,
	HERS,
	MANY,
	NOT_HERS,
	startInstallWorld,
	type Jar
} from '../helpers/github-installs.ts';
import { codeOf, makeUser } from '../helpers/world.ts';

// Installing the App for a team: the install link, GitHub's redirect back to the setup URL and
// what it refuses, through the real web server. Needs a current build (`SLIPWAY_BUILD_DIR=build-x
// npx vite build`).

let world: Awaited<ReturnType<typeof startInstallWorld>>;
let t: typeof world.t;
let fake: typeof world.fake;
let web: typeof world.web;
let alice: typeof world.alice;
let bob: typeof world.bob;

beforeAll(async () => {
	world = await startInstallWorld('gh_install_callback');
	({ t, fake, web, alice, bob } = world);
}, 60_000);
afterAll(() => world?.stop());

describe('install link and callback', () => {
	it('install → GitHub → callback links the installation to the team and opens the picker', async () => {
		const jar: Jar = { slipway_session: alice.token };
		const install = await world.openInstallLink(jar);
		expect(`${install.origin}${install.pathname}`).toBe(
			`${fake.url}/apps/${fake.state.app.slug}/installations/new`
		);
		const state = install.searchParams.get('state')!;
		expect(state.length).toBeGreaterThanOrEqual(32);
		expect(jar.slipway_github_install).toBeTruthy();

		fake.state.nextInstall = HERS;
		const onGithub = await get(install.toString(), jar);
		expect(onGithub.status).toBe(302);
		const callback = onGithub.headers.get('location')!;
		expect(callback).toContain('/api/github/setup?');

		const back = await get(callback, jar);
		expect(back.status).toBe(303);
		expect(back.headers.get('location')).toBe(`/${alice.team.slug}/new?installation=${HERS}`);
		expect(await world.linkedTo(alice.team.id)).toEqual([HERS]);
		const [row] = await t.db
			.select()
			.from(githubInstallations)
			.where(eq(githubInstallations.id, HERS));
		expect(row).toMatchObject({ accountLogin: 'alice-gh', accountType: 'User', removedAt: null });
		// The user token proved access: Slipway asked GitHub which installations Alice can see.
		expect(fake.calls('GET', '/api/v3/user/installations').length).toBeGreaterThan(0);
		// The state is single-use: replaying the same callback is refused.
		expect((await get(callback, jar)).status).toBe(400);

		const page = await get(`${web.url}/${alice.team.slug}/new?installation=${HERS}`, jar);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('Import from GitHub');
		expect(html).toContain('alice-gh');
	});

	it('refuses a forged installation id the GitHub user cannot access, writing nothing', async () => {
		const jar: Jar = { slipway_session: alice.token };
		const install = await world.openInstallLink(jar);
		const code = randomBytes(8).toString('hex');
		fake.state.oauthCodes.set(code, ALICE_GH);
		const forged = new URL(`${web.url}/api/github/setup`);
		forged.searchParams.set('installation_id', String(NOT_HERS));
		forged.searchParams.set('setup_action', 'install');
		forged.searchParams.set('code', code);
		forged.searchParams.set('state', install.searchParams.get('state')!);
		const res = await get(forged.toString(), jar);
		expect(res.status).toBe(403);
		expect(await res.text()).toContain('cannot access this installation');
		expect(await world.linkedTo(alice.team.id)).not.toContain(NOT_HERS);
		expect(
			await t.db.select().from(githubInstallations).where(eq(githubInstallations.id, NOT_HERS))
		).toEqual([]);
	});

	it('refuses a callback without the matching state cookie, and another user’s cookie', async () => {
		const jar: Jar = { slipway_session: alice.token };
		const install = await world.openInstallLink(jar);
		const state = install.searchParams.get('state')!;
		const code = randomBytes(8).toString('hex');
		fake.state.oauthCodes.set(code, ALICE_GH);
		const url = `${web.url}/api/github/setup?installation_id=${MANY}&setup_action=install&code=${code}&state=`;

		const wrongState = await get(url + 'not-the-state', jar);
		expect(wrongState.status).toBe(400);
		expect(await wrongState.text()).toContain('Start again from the new-project page');

		const noState = await get(url.slice(0, url.indexOf('&state=')), jar);
		expect(noState.status).toBe(400);
		expect(await noState.text()).toContain('without the state of the install link');

		const noCookie = await get(url + state, { slipway_session: alice.token });
		expect(noCookie.status).toBe(400);

		// Bob got hold of Alice's link (cookie and state): still not his installation to add.
		const bobJar: Jar = {
			slipway_session: bob.token,
			slipway_github_install: jar.slipway_github_install
		};
		expect((await get(url + state, bobJar)).status).toBe(403);

		// Signed out: sent to the login page first.
		const anon = await get(url + state, { slipway_github_install: jar.slipway_github_install });
		expect(anon.status).toBe(303);
		expect(anon.headers.get('location')).toContain('/login?redirectTo=');

		expect(await world.linkedTo(alice.team.id)).toEqual([HERS]);
		expect(await world.linkedTo(bob.team.id)).toEqual([]);
	});

	it('only admins of the team may start an installation', async () => {
		const jar: Jar = { slipway_session: bob.token };
		const res = await get(`${web.url}/api/github/install?team=${alice.team.slug}`, jar);
		expect(res.status).toBe(404);
		expect(jar.slipway_github_install).toBeUndefined();
	});

	it('setup_action=update (repositories changed on GitHub) just goes back to the picker', async () => {
		const jar: Jar = { slipway_session: alice.token };
		const install = await world.openInstallLink(jar);
		const res = await get(
			`${web.url}/api/github/setup?installation_id=${HERS}&setup_action=update&state=${install.searchParams.get('state')}`,
			jar
		);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(`/${alice.team.slug}/new?installation=${HERS}`);
	});

	it('an installation waiting for an organization owner’s approval links nothing yet', async () => {
		const jar: Jar = { slipway_session: alice.token };
		const install = await world.openInstallLink(jar);
		const res = await get(
			`${web.url}/api/github/setup?setup_action=request&state=${install.searchParams.get('state')}`,
			jar
		);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(`/${alice.team.slug}/new?github=requested`);
		const page = await (await get(`${web.url}${res.headers.get('location')}`, jar)).text();
		expect(page).toContain('asked an owner of the organization to approve');
		expect(await world.linkedTo(alice.team.id)).toEqual([HERS]);
	});

	it('a second account (organization) is added next to the first, through the OAuth callback URL', async () => {
		// With "request user authorization during installation" GitHub sends the browser to the
		// App's callback URL (not the setup URL); the login callback hands it on to the setup.
		const jar: Jar = { slipway_session: alice.token };
		const install = await world.openInstallLink(jar);
		fake.state.nextInstall = MANY;
		fake.state.setupUrl = `${web.url}/login/github/callback`;
		let back: Response;
		try {
			const onGithub = await get(install.toString(), jar);
			const handOff = await get(onGithub.headers.get('location')!, jar);
			expect(handOff.status).toBe(303);
			expect(handOff.headers.get('location')).toMatch(/^\/api\/github\/setup\?/);
			back = await get(`${web.url}${handOff.headers.get('location')}`, jar);
		} finally {
			fake.state.setupUrl = `${web.url}/api/github/setup`;
		}
		expect(back.status).toBe(303);
		expect(back.headers.get('location')).toBe(`/${alice.team.slug}/new?installation=${MANY}`);
		expect((await world.linkedTo(alice.team.id)).sort()).toEqual([HERS, MANY]);
		const listed = await alice.caller.github.installations({ teamSlug: alice.team.slug });
		expect(listed.app?.slug).toBe(fake.state.app.slug);
		expect(listed.installations.map((i) => i.accountLogin)).toEqual(['alice-gh', 'big-org']);
	});
});

describe('without a GitHub App', () => {
	it('the new-project page says an instance admin connects GitHub', async () => {
		const jar: Jar = { slipway_session: alice.token };
		await t.db.delete(githubApp);
		try {
			const html = await (await get(`${web.url}/${alice.team.slug}/new`, jar)).text();
			expect(html).toContain('An instance admin connects GitHub under Admin → GitHub.');
			expect(html).not.toContain('Install on GitHub');
			const install = await get(`${web.url}/api/github/install?team=${alice.team.slug}`, jar);
			expect(install.status).toBe(503);
		} finally {
			await seedGithubApp(t.db, fake);
		}
	});

	it('a fresh instance lists no installations and no repositories', async () => {
		const other = await createTestDatabase('ghinst-noapp');
		try {
			const carol = await makeUser(other.db, 'Carol');
			expect(await carol.caller.github.installations({ teamSlug: carol.team.slug })).toEqual({
				app: null,
				installations: []
			});
			expect(
				await codeOf(
					carol.caller.github.repositories({ teamSlug: carol.team.slug, installationId: HERS })
				)
			).toBe('NOT_FOUND');
		} finally {
			await other.drop();
		}
	});
});
