import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePassword, hasPassword, logIn, signUp } from '../../src/lib/server/auth/accounts.ts';
import { logInWithPassword } from '../../src/lib/server/auth/flows.ts';
import {
	createSession,
	invalidateUserSessions,
	listUserSessions,
	validateSessionToken
} from '../../src/lib/server/auth/session.ts';
import { hashToken } from '../../src/lib/server/auth/tokens.ts';
import { sessions, teamMembers, teams, users } from '../../src/lib/server/db/schema/index.ts';
import { createTestDatabase } from '../helpers/db.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
	t = await createTestDatabase('accounts');
});
afterAll(() => t.drop());

const limits = {
	SESSION_TTL_DAYS: 30,
	RATE_LIMIT_LOGIN_PER_15_MIN: 3,
	RATE_LIMIT_SIGNUP_PER_HOUR: 5
};
const count = async (table: typeof users | typeof teams) =>
	(await t.db.select({ n: sql<number>`count(*)::int` }).from(table))[0].n;

describe('sign-up', () => {
	it('makes the first account instance admin, with an owned personal team', async () => {
		const { user, team } = await signUp({
			db: t.db,
			name: 'Ada Lovelace',
			email: 'ada@example.com',
			password: 'analytical engine'
		});
		expect(user.isInstanceAdmin).toBe(true);
		expect(user.passwordHash).toMatch(/^\$argon2id\$/);
		expect(team.slug).toBe('ada-lovelace');
		const [member] = await t.db.select().from(teamMembers).where(eq(teamMembers.teamId, team.id));
		expect(member).toMatchObject({ userId: user.id, role: 'owner' });

		const second = await signUp({
			db: t.db,
			name: 'Ada Lovelace',
			email: 'ada2@example.com',
			password: 'x'.repeat(10)
		});
		expect(second.user.isInstanceAdmin).toBe(false);
		expect(second.team.slug).toBe('ada-lovelace-2');
	});

	it('refuses a duplicate email whatever its case, and creates nothing', async () => {
		const before = [await count(users), await count(teams)];
		await expect(
			signUp({ db: t.db, name: 'Again', email: 'ADA@example.com', password: 'another password' })
		).rejects.toMatchObject({
			code: 'CONFLICT',
			field: 'email',
			message: expect.stringMatching(/already exists/)
		});
		expect([await count(users), await count(teams)]).toEqual(before);
	});

	it('follows the instance sign-up mode for everyone but the first user', async () => {
		await t.db.execute(
			sql`insert into instance_settings (id, signup_mode, signup_allowlist) values (1, 'allowlist', '["@corp.dev"]'::jsonb)`
		);
		await expect(
			signUp({ db: t.db, name: 'Eve', email: 'eve@elsewhere.net', password: 'long enough pw' })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(
			signUp({ db: t.db, name: 'Bob', email: 'bob@corp.dev', password: 'long enough pw' })
		).resolves.toBeTruthy();
		await t.db.execute(sql`delete from instance_settings`);
	});
});

describe('login', () => {
	it('gives the same answer for an unknown email and a wrong password', async () => {
		const wrong = logIn({ db: t.db, email: 'ada@example.com', password: 'wrong password' });
		const unknown = logIn({ db: t.db, email: 'nobody@example.com', password: 'wrong password' });
		await expect(wrong).rejects.toMatchObject({
			code: 'UNAUTHORIZED',
			message: 'Wrong email or password.'
		});
		await expect(unknown).rejects.toMatchObject({
			code: 'UNAUTHORIZED',
			message: 'Wrong email or password.'
		});
		await expect(
			logIn({ db: t.db, email: 'ada@example.com', password: 'analytical engine' })
		).resolves.toMatchObject({ email: 'ada@example.com' });
	});

	it('rate-limits attempts per account, even with the right password afterwards', async () => {
		const attempt = (password: string) =>
			logInWithPassword({
				db: t.db,
				email: 'bob@corp.dev',
				password,
				config: limits,
				ip: '10.0.0.9',
				userAgent: 'test'
			});
		for (let i = 0; i < 3; i++)
			await expect(attempt('bad password')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		await expect(attempt('long enough pw')).rejects.toMatchObject({
			code: 'RATE_LIMITED',
			message: expect.stringMatching(/Too many attempts\. Wait \d+ minutes?/)
		});
	});
});

describe('sessions', () => {
	it('stores only the SHA-256 of the token and resolves the token to its user', async () => {
		const [ada] = await t.db.select().from(users).where(eq(users.email, 'ada@example.com'));
		const { token, session } = await createSession({ db: t.db, userId: ada.id, ttlDays: 30 });
		expect(session.id).toBe(hashToken(token));
		const stored = await t.db.select().from(sessions).where(eq(sessions.userId, ada.id));
		expect(stored.map((s) => s.id)).not.toContain(token);
		const result = await validateSessionToken({ db: t.db, token, ttlDays: 30 });
		expect(result?.user.email).toBe('ada@example.com');
		expect(result?.renewed).toBe(false);
	});

	it('treats unknown, malformed and expired tokens as logged out, and deletes expired ones', async () => {
		expect(await validateSessionToken({ db: t.db, token: 'a'.repeat(32), ttlDays: 30 })).toBeNull();
		expect(
			await validateSessionToken({ db: t.db, token: "'; drop table users; --", ttlDays: 30 })
		).toBeNull();
		const [ada] = await t.db.select().from(users).where(eq(users.email, 'ada@example.com'));
		const { token, session } = await createSession({ db: t.db, userId: ada.id, ttlDays: 30 });
		await t.db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(sessions.id, session.id));
		expect(await validateSessionToken({ db: t.db, token, ttlDays: 30 })).toBeNull();
		expect(await t.db.select().from(sessions).where(eq(sessions.id, session.id))).toHaveLength(0);
	});

	it('slides the expiry forward once half the lifetime is used', async () => {
		const [ada] = await t.db.select().from(users).where(eq(users.email, 'ada@example.com'));
		const { token, session } = await createSession({ db: t.db, userId: ada.id, ttlDays: 30 });
		const soon = new Date(Date.now() + 5 * 24 * 3600 * 1000);
		await t.db.update(sessions).set({ expiresAt: soon }).where(eq(sessions.id, session.id));
		const result = await validateSessionToken({ db: t.db, token, ttlDays: 30 });
		expect(result?.renewed).toBe(true);
		expect(result!.session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
	});

	it('logs out everywhere else on password change, keeping the current session', async () => {
		const { user } = await signUp({
			db: t.db,
			name: 'Carol',
			email: 'carol@example.com',
			password: 'first password'
		});
		const keep = await createSession({ db: t.db, userId: user.id, ttlDays: 30 });
		const other = await createSession({ db: t.db, userId: user.id, ttlDays: 30 });
		await expect(
			changePassword({
				db: t.db,
				userId: user.id,
				currentPassword: 'not it at all',
				newPassword: 'second password'
			})
		).rejects.toMatchObject({ code: 'INVALID', field: 'currentPassword' });
		expect(await listUserSessions({ db: t.db, userId: user.id })).toHaveLength(2);

		await changePassword({
			db: t.db,
			userId: user.id,
			currentPassword: 'first password',
			newPassword: 'second password',
			keepSessionId: keep.session.id
		});
		expect(await validateSessionToken({ db: t.db, token: other.token, ttlDays: 30 })).toBeNull();
		expect(await validateSessionToken({ db: t.db, token: keep.token, ttlDays: 30 })).not.toBeNull();
		await expect(
			logIn({ db: t.db, email: 'carol@example.com', password: 'second password' })
		).resolves.toBeTruthy();

		expect(await invalidateUserSessions({ db: t.db, userId: user.id })).toBe(1);
	});

	it('an account made through GitHub sets a first password without a current one', async () => {
		const { user } = await signUp({
			db: t.db,
			name: 'Gita',
			email: 'gita@example.com',
			password: null
		});
		expect(await hasPassword(t.db, user.id)).toBe(false);
		await expect(logIn({ db: t.db, email: 'gita@example.com', password: '' })).rejects.toThrow();
		expect(
			await changePassword({
				db: t.db,
				userId: user.id,
				currentPassword: '',
				newPassword: 'a first password'
			})
		).toBe('set');
		expect(await hasPassword(t.db, user.id)).toBe(true);
		await expect(
			logIn({ db: t.db, email: 'gita@example.com', password: 'a first password' })
		).resolves.toBeTruthy();
		// From now on the current one is asked for, like any account's.
		await expect(
			changePassword({
				db: t.db,
				userId: user.id,
				currentPassword: '',
				newPassword: 'x'.repeat(12)
			})
		).rejects.toMatchObject({ code: 'INVALID', field: 'currentPassword' });
	});
});
