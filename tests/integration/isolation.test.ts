import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, validateApiToken } from '../../src/lib/server/auth/api-tokens.ts';
import { teamMembers } from '../../src/lib/server/db/schema/index.ts';
import { createCaller } from '../../src/lib/server/trpc/router.ts';
import { createTestDatabase } from '../helpers/db.ts';
import {
	assertEveryProcedureCovered,
	expectAllNotFound,
	type Foreign,
	type IsolationCases
} from '../helpers/isolation.ts';
import { codeOf, makeUser } from '../helpers/world.ts';

/**
 * One case per team-scoped procedure: the call an outsider would make against team B.
 * New procedures must be added here (assertEveryProcedureCovered fails otherwise).
 */
const cases: IsolationCases = {
	scoped: {
		'teams.get': (c, f) => c.teams.get({ teamSlug: f.teamSlug }),
		'teams.rename': (c, f) => c.teams.rename({ teamSlug: f.teamSlug, name: 'Pwned' }),
		'teams.tokens.list': (c, f) => c.teams.tokens.list({ teamSlug: f.teamSlug }),
		'teams.tokens.create': (c, f) => c.teams.tokens.create({ teamSlug: f.teamSlug, name: 'x' }),
		'teams.tokens.revoke': (c, f) =>
			c.teams.tokens.revoke({ teamSlug: f.teamSlug, tokenId: f.ids.token })
	},
	unscoped: [
		'account.me',
		'account.update',
		'account.changePassword',
		'account.sessions',
		'account.revokeSession',
		'account.revokeOtherSessions',
		'teams.list',
		'teams.create'
	]
};

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let a: Awaited<ReturnType<typeof makeUser>>;
let b: Awaited<ReturnType<typeof makeUser>>;
let foreign: Foreign;

beforeAll(async () => {
	t = await createTestDatabase('isolation');
	a = await makeUser(t.db, 'Alice');
	b = await makeUser(t.db, 'Bob');
	const token = await createApiToken({
		db: t.db,
		userId: b.user.id,
		teamId: b.team.id,
		name: 'ci'
	});
	foreign = { teamSlug: b.team.slug, teamId: b.team.id, ids: { token: token.id } };
});
afterAll(() => t.drop());

describe('team isolation', () => {
	it('has an isolation case for every procedure', () => {
		assertEveryProcedureCovered(cases);
	});

	it('gives a member of team A NOT_FOUND for everything of team B', async () => {
		await expectAllNotFound(a.caller, foreign, cases);
		// and team B saw no change
		expect((await b.caller.teams.get({ teamSlug: b.team.slug })).name).toBe('Bob');
		expect(await b.caller.teams.tokens.list({ teamSlug: b.team.slug })).toHaveLength(1);
	});

	it("answers a made-up team exactly like another team's", async () => {
		await expectAllNotFound(a.caller, { ...foreign, teamSlug: 'no-such-team' }, cases);
	});

	it("cannot reach team B's token through A's own team slug", async () => {
		const code = await codeOf(
			a.caller.teams.tokens.revoke({ teamSlug: a.team.slug, tokenId: foreign.ids.token })
		);
		expect(code).toBe('NOT_FOUND');
		expect(await b.caller.teams.tokens.list({ teamSlug: b.team.slug })).toHaveLength(1);
	});

	it('keeps an API token inside its own team, even for its owner', async () => {
		const second = await a.caller.teams.create({ name: 'Alice Labs' });
		const token = await createApiToken({
			db: t.db,
			userId: a.user.id,
			teamId: a.team.id,
			name: 'cli'
		});
		const resolved = await validateApiToken({ db: t.db, token: token.token });
		expect(resolved?.teamId).toBe(a.team.id);
		const tokenCaller = createCaller({
			db: t.db,
			user: resolved!.user,
			sessionId: null,
			tokenTeamId: resolved!.teamId,
			ip: '127.0.0.1',
			userAgent: 'cli'
		});
		expect((await tokenCaller.teams.list()).map((x) => x.slug)).toEqual([a.team.slug]);
		expect(await codeOf(tokenCaller.teams.get({ teamSlug: second.slug }))).toBe('NOT_FOUND');
		expect(await codeOf(tokenCaller.teams.get({ teamSlug: a.team.slug }))).toBe('OK');
		// A token cannot mint tokens or change the account.
		expect(
			await codeOf(tokenCaller.teams.tokens.create({ teamSlug: a.team.slug, name: 'y' }))
		).toBe('FORBIDDEN');
		expect(await codeOf(tokenCaller.account.update({ name: 'X', email: 'x@example.com' }))).toBe(
			'FORBIDDEN'
		);
	});
});

describe('roles', () => {
	it('lets a viewer read but not rename, with a reason', async () => {
		await t.db.insert(teamMembers).values({ teamId: b.team.id, userId: a.user.id, role: 'viewer' });
		expect((await a.caller.teams.get({ teamSlug: b.team.slug })).role).toBe('viewer');
		await expect(
			a.caller.teams.rename({ teamSlug: b.team.slug, name: 'Nope' })
		).rejects.toMatchObject({
			code: 'FORBIDDEN',
			message: expect.stringMatching(/needs the admin role/)
		});
		expect((await b.caller.teams.get({ teamSlug: b.team.slug })).name).toBe('Bob');
		expect((await b.caller.teams.rename({ teamSlug: b.team.slug, name: 'Bob & Co' })).name).toBe(
			'Bob & Co'
		);
	});

	it('rejects malformed input with a clear message and no change', async () => {
		await expect(a.caller.teams.get({ teamSlug: '../etc' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/teamSlug: Team slugs use lowercase/)
		});
		await expect(
			a.caller.account.update({ name: 'A', email: 'not-an-email' })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/email: Enter a valid email/)
		});
		expect((await a.caller.account.me()).email).toBe(a.email);
	});
});
