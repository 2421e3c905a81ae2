import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { instanceSettings, oauthAccounts, users } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { createTeam } from '../teams/teams.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password.ts';
import { invalidateUserSessions } from './session.ts';
import { assertSignupAllowed } from './signup-policy.ts';

const duplicateEmail = () =>
	new AppError('CONFLICT', 'An account with this email already exists. Log in instead.', {
		field: 'email'
	});

/**
 * Creates the account and its personal team in one transaction. The first account of the
 * instance becomes its admin (serialised by an advisory lock so two can never both be first).
 * An account made by signing in with GitHub has no password and its GitHub link (`oauth`).
 */
export async function signUp(args: {
	db: Db;
	name: string;
	email: string;
	password: string | null;
	oauth?: { provider: string; providerUserId: string; login: string | null };
}) {
	const passwordHash = args.password === null ? null : await hashPassword(args.password);
	try {
		return await args.db.transaction(async (tx) => {
			await tx.execute(sql`select pg_advisory_xact_lock(hashtext('slipway:signup'))`);
			const [existing] = await tx
				.select({ id: users.id })
				.from(users)
				.where(sql`lower(${users.email}) = ${args.email.toLowerCase()}`);
			if (existing) throw duplicateEmail();
			const [{ count }] = await tx.select({ count: sql<number>`count(*)::int` }).from(users);
			const [settings] = await tx.select().from(instanceSettings).where(eq(instanceSettings.id, 1));
			assertSignupAllowed({
				mode: settings?.signupMode ?? 'open',
				allowlist: settings?.signupAllowlist ?? [],
				email: args.email,
				isFirstUser: count === 0
			});
			const [user] = await tx
				.insert(users)
				.values({
					email: args.email,
					name: args.name,
					passwordHash,
					isInstanceAdmin: count === 0
				})
				.returning();
			if (args.oauth) await tx.insert(oauthAccounts).values({ ...args.oauth, userId: user.id });
			const team = await createTeam({ db: tx, userId: user.id, name: args.name, personal: true });
			return { user, team };
		});
	} catch (error) {
		if (isUniqueViolation(error)) throw duplicateEmail();
		throw error;
	}
}

/** Same answer and the same time for an unknown email and a wrong password. */
export async function logIn(args: { db: Db; email: string; password: string }) {
	const [user] = await args.db
		.select()
		.from(users)
		.where(sql`lower(${users.email}) = ${args.email.toLowerCase()}`);
	const ok = user?.passwordHash
		? await verifyPassword(user.passwordHash, args.password)
		: (await burnPasswordCheck(args.password), false);
	if (!user || !ok) {
		throw new AppError('UNAUTHORIZED', 'Wrong email or password.', { field: 'password' });
	}
	return user;
}

export async function updateProfile(args: { db: Db; userId: string; name: string; email: string }) {
	try {
		const [user] = await args.db
			.update(users)
			.set({ name: args.name, email: args.email, updatedAt: new Date() })
			.where(eq(users.id, args.userId))
			.returning({ id: users.id, name: users.name, email: users.email });
		return user;
	} catch (error) {
		if (isUniqueViolation(error)) {
			throw new AppError('CONFLICT', 'Another account already uses this email.', {
				field: 'email'
			});
		}
		throw error;
	}
}

/** Checks the current password, sets the new one and logs out every other session. */
/**
 * Changes the password, or sets a first one for an account made through GitHub (no current
 * password to give then: the session is the proof). Returns which of the two happened.
 */
export async function changePassword(args: {
	db: Db;
	userId: string;
	currentPassword: string;
	newPassword: string;
	keepSessionId?: string;
}): Promise<'changed' | 'set'> {
	const [user] = await args.db.select().from(users).where(eq(users.id, args.userId));
	if (!user) throw new AppError('NOT_FOUND', 'Account not found.');
	if (user.passwordHash) {
		if (!args.currentPassword) {
			throw new AppError('INVALID', 'Enter your current password.', { field: 'currentPassword' });
		}
		if (!(await verifyPassword(user.passwordHash, args.currentPassword))) {
			throw new AppError('INVALID', 'Your current password is not correct.', {
				field: 'currentPassword'
			});
		}
	}
	await args.db
		.update(users)
		.set({ passwordHash: await hashPassword(args.newPassword), updatedAt: new Date() })
		.where(eq(users.id, args.userId));
	await invalidateUserSessions({
		db: args.db,
		userId: args.userId,
		exceptSessionId: args.keepSessionId
	});
	return user.passwordHash ? 'changed' : 'set';
}

/** Whether the account can log in with a password (accounts made through GitHub start without). */
export async function hasPassword(db: Db, userId: string): Promise<boolean> {
	const [row] = await db
		.select({ set: sql<boolean>`${users.passwordHash} is not null` })
		.from(users)
		.where(eq(users.id, userId));
	return Boolean(row?.set);
}
