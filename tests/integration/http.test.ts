import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/lib/server/auth/api-tokens.ts';
import { createSlipwayClient } from '../../src/lib/trpc/client.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { startWeb, type RunningProcess } from '../helpers/server.ts';
import { makeUser } from '../helpers/world.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let web: RunningProcess;
let alice: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
	t = await createTestDatabase('http');
	alice = await makeUser(t.db, 'Alice');
	web = await startWeb(t.url);
});
afterAll(async () => {
	await web?.stop();
	await t.drop();
});

const teamCount = async () =>
	(await t.db.execute<{ n: number }>(sql`select count(*)::int as n from teams`))[0].n;

describe('health', () => {
	it('answers /healthz and /readyz with Postgres and Redis up', async () => {
		expect(await (await fetch(`${web.url}/healthz`)).json()).toEqual({ ok: true });
		const ready = await fetch(`${web.url}/readyz`);
		expect(ready.status).toBe(200);
		expect(await ready.json()).toMatchObject({
			ok: true,
			checks: { postgres: { ok: true }, redis: { ok: true } }
		});
	});
});

describe('typed client with a personal access token', () => {
	it('works from a Node script, limited to the token team', async () => {
		const { token } = await createApiToken({
			db: t.db,
			userId: alice.user.id,
			teamId: alice.team.id,
			name: 'script'
		});
		const client = createSlipwayClient({ url: web.url, token });
		expect(await client.account.me.query()).toMatchObject({ email: alice.email });
		expect((await client.teams.list.query()).map((x) => x.slug)).toEqual([alice.team.slug]);
		const team = await client.teams.rename.mutate({
			teamSlug: alice.team.slug,
			name: 'Renamed by CLI'
		});
		expect(team.name).toBe('Renamed by CLI');
	});

	it('refuses a wrong token as unauthorized', async () => {
		const client = createSlipwayClient({ url: web.url, token: 'slp_' + 'a'.repeat(32) });
		await expect(client.account.me.query()).rejects.toMatchObject({
			data: { code: 'UNAUTHORIZED' }
		});
	});
});

describe('cookie sessions over HTTP', () => {
	const cookie = () => `slipway_session=${alice.token}`;
	const createTeam = (headers: Record<string, string>) =>
		fetch(`${web.url}/api/trpc/teams.create`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: cookie(), ...headers },
			body: JSON.stringify({ json: { name: 'From somewhere' } })
		});

	it('refuses a forged cross-origin mutation and creates nothing', async () => {
		const before = await teamCount();
		const forged = await createTeam({ origin: 'https://evil.example' });
		expect(forged.status).toBe(403);
		expect((await forged.json()).error).toMatch(/Cross-site request refused/);
		expect((await createTeam({})).status).toBe(403);
		expect(await teamCount()).toBe(before);
	});

	it('accepts the same mutation from our own origin', async () => {
		const before = await teamCount();
		const ok = await createTeam({ origin: web.url });
		expect(ok.status).toBe(200);
		expect(await teamCount()).toBe(before + 1);
	});

	it('logs out cleanly on an unknown or expired session cookie, never a 500', async () => {
		const res = await fetch(`${web.url}/`, {
			headers: { cookie: 'slipway_session=' + 'b'.repeat(32) },
			redirect: 'manual'
		});
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/login');
		expect(res.headers.get('set-cookie')).toMatch(/slipway_session=;.*Max-Age=0/i);
		const api = await fetch(`${web.url}/api/trpc/account.me`, {
			headers: { cookie: 'slipway_session=garbage' }
		});
		expect(api.status).toBe(401);
	});

	it('sets security headers', async () => {
		const res = await fetch(`${web.url}/healthz`);
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('x-frame-options')).toBe('DENY');
	});
});
