import { and, desc, eq, gt, lt, ne } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema/index.ts';
import { generateToken, hashToken } from './tokens.ts';

const DAY = 24 * 60 * 60 * 1000;

export type SessionUser = Pick<
	typeof users.$inferSelect,
	'id' | 'email' | 'name' | 'isInstanceAdmin'
>;
export type Session = typeof sessions.$inferSelect;

export async function createSession(args: {
	db: Db;
	userId: string;
	ttlDays: number;
	ipAddress?: string;
	userAgent?: string;
}): Promise<{ token: string; session: Session }> {
	const token = generateToken();
	const [session] = await args.db
		.insert(sessions)
		.values({
			id: hashToken(token),
			userId: args.userId,
			expiresAt: new Date(Date.now() + args.ttlDays * DAY),
			ipAddress: args.ipAddress ?? null,
			userAgent: args.userAgent?.slice(0, 300) ?? null
		})
		.returning();
	return { token, session };
}

/**
 * Resolves a cookie token to its session and user. Sliding expiry: once less than half of the
 * lifetime is left, the session is extended (the caller re-sets the cookie when `renewed`).
 */
export async function validateSessionToken(args: {
	db: Db;
	token: string;
	ttlDays: number;
}): Promise<{ session: Session; user: SessionUser; renewed: boolean } | null> {
	if (!/^[a-z2-7]{32}$/.test(args.token)) return null;
	const id = hashToken(args.token);
	const [row] = await args.db
		.select({
			session: sessions,
			user: {
				id: users.id,
				email: users.email,
				name: users.name,
				isInstanceAdmin: users.isInstanceAdmin
			}
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, id));
	if (!row) return null;
	const now = Date.now();
	if (row.session.expiresAt.getTime() <= now) {
		await args.db.delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	const lifetime = args.ttlDays * DAY;
	const renewed = row.session.expiresAt.getTime() - now < lifetime / 2;
	const staleSeen = now - row.session.lastSeenAt.getTime() > 60_000;
	if (renewed || staleSeen) {
		const expiresAt = renewed ? new Date(now + lifetime) : row.session.expiresAt;
		await args.db
			.update(sessions)
			.set({ expiresAt, lastSeenAt: new Date(now) })
			.where(eq(sessions.id, id));
		row.session.expiresAt = expiresAt;
	}
	return { session: row.session, user: row.user, renewed };
}

export async function invalidateSession(args: { db: Db; sessionId: string }): Promise<void> {
	await args.db.delete(sessions).where(eq(sessions.id, args.sessionId));
}

/** Log out everywhere; `exceptSessionId` keeps the caller's own session. */
export async function invalidateUserSessions(args: {
	db: Db;
	userId: string;
	exceptSessionId?: string;
}): Promise<number> {
	const where = args.exceptSessionId
		? and(eq(sessions.userId, args.userId), ne(sessions.id, args.exceptSessionId))
		: eq(sessions.userId, args.userId);
	const deleted = await args.db.delete(sessions).where(where).returning({ id: sessions.id });
	return deleted.length;
}

export async function listUserSessions(args: { db: Db; userId: string }) {
	return args.db
		.select({
			id: sessions.id,
			createdAt: sessions.createdAt,
			lastSeenAt: sessions.lastSeenAt,
			expiresAt: sessions.expiresAt,
			ipAddress: sessions.ipAddress,
			userAgent: sessions.userAgent
		})
		.from(sessions)
		.where(and(eq(sessions.userId, args.userId), gt(sessions.expiresAt, new Date())))
		.orderBy(desc(sessions.lastSeenAt));
}

/** Revokes one of the user's own sessions; an id of someone else's session changes nothing. */
export async function revokeUserSession(args: {
	db: Db;
	userId: string;
	sessionId: string;
}): Promise<boolean> {
	const deleted = await args.db
		.delete(sessions)
		.where(and(eq(sessions.id, args.sessionId), eq(sessions.userId, args.userId)))
		.returning({ id: sessions.id });
	return deleted.length > 0;
}

export async function deleteExpiredSessions(args: { db: Db }): Promise<number> {
	const deleted = await args.db
		.delete(sessions)
		.where(lt(sessions.expiresAt, new Date()))
		.returning({ id: sessions.id });
	return deleted.length;
}
