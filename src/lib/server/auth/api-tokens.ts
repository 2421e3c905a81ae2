import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { apiTokens, users } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import type { SessionUser } from './session.ts';
import { generateToken, hashToken } from './tokens.ts';

export const API_TOKEN_PREFIX = 'slp_';

/** Returns the token once; only its hash is kept. */
export async function createApiToken(args: {
	db: Db;
	userId: string;
	teamId: string;
	name: string;
	expiresInDays?: number;
}) {
	const token = generateToken(API_TOKEN_PREFIX);
	const expiresAt = args.expiresInDays
		? new Date(Date.now() + args.expiresInDays * 24 * 60 * 60 * 1000)
		: null;
	const [row] = await args.db
		.insert(apiTokens)
		.values({
			tokenHash: hashToken(token),
			name: args.name,
			userId: args.userId,
			teamId: args.teamId,
			expiresAt
		})
		.returning({ id: apiTokens.id, name: apiTokens.name, expiresAt: apiTokens.expiresAt });
	return { ...row, token };
}

export async function listApiTokens(args: { db: Db; userId: string; teamId: string }) {
	return args.db
		.select({
			id: apiTokens.id,
			name: apiTokens.name,
			expiresAt: apiTokens.expiresAt,
			lastUsedAt: apiTokens.lastUsedAt,
			createdAt: apiTokens.createdAt
		})
		.from(apiTokens)
		.where(and(eq(apiTokens.userId, args.userId), eq(apiTokens.teamId, args.teamId)))
		.orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(args: {
	db: Db;
	userId: string;
	teamId: string;
	tokenId: string;
}): Promise<void> {
	const deleted = await args.db
		.delete(apiTokens)
		.where(
			and(
				eq(apiTokens.id, args.tokenId),
				eq(apiTokens.userId, args.userId),
				eq(apiTokens.teamId, args.teamId)
			)
		)
		.returning({ id: apiTokens.id });
	if (deleted.length === 0) throw notFound('Token');
}

/** Resolves `Authorization: Bearer slp_…` to the user and the one team it may act on. */
export async function validateApiToken(args: {
	db: Db;
	token: string;
}): Promise<{ user: SessionUser; teamId: string } | null> {
	if (!args.token.startsWith(API_TOKEN_PREFIX) || args.token.length > 100) return null;
	const now = new Date();
	const [row] = await args.db
		.update(apiTokens)
		.set({ lastUsedAt: now })
		.from(users)
		.where(
			and(
				eq(apiTokens.tokenHash, hashToken(args.token)),
				eq(users.id, apiTokens.userId),
				or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))
			)
		)
		.returning({
			teamId: apiTokens.teamId,
			id: users.id,
			email: users.email,
			name: users.name,
			isInstanceAdmin: users.isInstanceAdmin
		});
	if (!row) return null;
	const { teamId, ...user } = row;
	return { user, teamId };
}
