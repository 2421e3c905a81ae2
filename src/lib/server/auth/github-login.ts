import { and, eq, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { oauthAccounts, users } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { GithubAppCredentials } from '../github/app.ts';
import { exchangeGithubCode, fetchGithubIdentity, type GithubIdentity } from '../github/oauth.ts';
import { signUp } from './accounts.ts';
import { consumeRateLimit } from './rate-limit.ts';
import { createSession } from './session.ts';

const PROVIDER = 'github';

type Client = { ip: string; userAgent: string };
type Limits = Pick<
	Config,
	'SESSION_TTL_DAYS' | 'RATE_LIMIT_LOGIN_PER_15_MIN' | 'RATE_LIMIT_SIGNUP_PER_HOUR'
>;

export type GithubSignInOutcome = 'signed-in' | 'linked' | 'signed-up';

/** What GitHub's OAuth callback brings back: its code, for the redirect URI it was sent to. */
type GithubCallback = {
	db: Db;
	config: Limits;
	app: GithubAppCredentials;
	code: string;
	redirectUri: string;
} & Client;

/** The oauth_accounts row of a GitHub account (by id: logins can be renamed on GitHub). */
const byGithubId = (githubId: number) =>
	and(eq(oauthAccounts.provider, PROVIDER), eq(oauthAccounts.providerUserId, String(githubId)));

/**
 * The GitHub account behind the callback's code (same limits as a password login) and the
 * Slipway user it is linked to, if any.
 */
async function identify(
	args: GithubCallback
): Promise<{ identity: GithubIdentity; linkedUserId: string | null }> {
	await consumeRateLimit({
		db: args.db,
		key: `login:ip:${args.ip}`,
		limit: args.config.RATE_LIMIT_LOGIN_PER_15_MIN * 3,
		windowSeconds: 900
	});
	const token = await exchangeGithubCode(args.app, {
		code: args.code,
		redirectUri: args.redirectUri
	});
	const identity = await fetchGithubIdentity(args.app, token);
	const [row] = await args.db
		.select({ userId: oauthAccounts.userId })
		.from(oauthAccounts)
		.where(byGithubId(identity.id));
	return { identity, linkedUserId: row?.userId ?? null };
}

async function link(db: Db, userId: string, identity: GithubIdentity) {
	try {
		await db.insert(oauthAccounts).values({
			provider: PROVIDER,
			providerUserId: String(identity.id),
			userId,
			login: identity.login
		});
	} catch (error) {
		if (isUniqueViolation(error)) {
			throw new AppError(
				'CONFLICT',
				'Your Slipway account is already connected to another GitHub account. Disconnect it on the account page first.'
			);
		}
		throw error;
	}
}

const useYourPassword = (email: string) =>
	new AppError(
		'CONFLICT',
		`An account with ${email} already exists, but GitHub has not verified that address as your primary email, so Slipway cannot tell it is yours. Log in with your password, then connect GitHub from the account page.`
	);

/**
 * Signs in (or up) with GitHub: a GitHub account already linked signs in as its Slipway account;
 * otherwise an account whose email is GitHub's verified primary email is linked; otherwise a new
 * account is made (sign-up policy applies). An address GitHub has not verified never links.
 */
export async function signInWithGithub(args: GithubCallback) {
	const { identity, linkedUserId: linked } = await identify(args);
	if (linked) {
		// Logins can be renamed on GitHub; the id is what links.
		await args.db
			.update(oauthAccounts)
			.set({ login: identity.login })
			.where(byGithubId(identity.id));
	}
	const { id: userId, outcome } = linked
		? { id: linked, outcome: 'signed-in' as const }
		: await linkOrSignUp(args, identity);
	const session = await createSession({
		db: args.db,
		userId,
		ttlDays: args.config.SESSION_TTL_DAYS,
		ipAddress: args.ip,
		userAgent: args.userAgent
	});
	return { ...session, userId, outcome, login: identity.login };
}

async function linkOrSignUp(
	args: { db: Db; config: Limits } & Client,
	identity: GithubIdentity
): Promise<{ id: string; outcome: GithubSignInOutcome }> {
	const primary = identity.primaryEmail;
	const existing = identity.emails.length
		? await args.db
				.select({ id: users.id, email: users.email })
				.from(users)
				.where(
					sql`lower(${users.email}) in (${sql.join(
						identity.emails.map((e) => sql`${e.email}`),
						sql`, `
					)})`
				)
		: [];
	const trusted = primary?.verified
		? existing.find((u) => u.email.toLowerCase() === primary.email)
		: undefined;
	if (trusted) {
		await link(args.db, trusted.id, identity);
		return { id: trusted.id, outcome: 'linked' };
	}
	if (existing.length > 0) throw useYourPassword(existing[0].email);
	if (!primary?.verified) {
		throw new AppError(
			'INVALID',
			'Your GitHub account has no verified primary email address. Verify it on GitHub (Settings → Emails), then try again.'
		);
	}
	await consumeRateLimit({
		db: args.db,
		key: `signup:ip:${args.ip}`,
		limit: args.config.RATE_LIMIT_SIGNUP_PER_HOUR,
		windowSeconds: 3600
	});
	const { user } = await signUp({
		db: args.db,
		name: (identity.name?.trim() || identity.login).slice(0, 100),
		email: primary.email,
		password: null,
		oauth: { provider: PROVIDER, providerUserId: String(identity.id), login: identity.login }
	});
	return { id: user.id, outcome: 'signed-up' };
}

/** Connects the GitHub account behind `code` to a signed-in user (from the account page). */
export async function connectGithub(args: GithubCallback & { userId: string }) {
	const { identity, linkedUserId: owner } = await identify(args);
	if (owner === args.userId) return { login: identity.login };
	if (owner) {
		throw new AppError(
			'CONFLICT',
			`The GitHub account ${identity.login} is already connected to another Slipway account. Disconnect it there first.`
		);
	}
	await link(args.db, args.userId, identity);
	return { login: identity.login };
}

/** The GitHub login connected to an account, if any. */
export async function githubConnection(args: { db: Db; userId: string }) {
	const [row] = await args.db
		.select({ login: oauthAccounts.login, createdAt: oauthAccounts.createdAt })
		.from(oauthAccounts)
		.where(and(eq(oauthAccounts.userId, args.userId), eq(oauthAccounts.provider, PROVIDER)));
	return row ?? null;
}

/** Refused when GitHub is the account's only way in (no password): it would lock the user out. */
export async function disconnectGithub(args: { db: Db; userId: string }): Promise<void> {
	const [user] = await args.db
		.select({ passwordHash: users.passwordHash })
		.from(users)
		.where(eq(users.id, args.userId));
	if (!user) throw new AppError('NOT_FOUND', 'Account not found.');
	const link = await githubConnection(args);
	if (!link) throw new AppError('NOT_FOUND', 'GitHub is not connected to your account.');
	if (!user.passwordHash) {
		throw new AppError(
			'CONFLICT',
			'GitHub is the only way you log in to this account (it has no password), so it cannot be disconnected.'
		);
	}
	await args.db
		.delete(oauthAccounts)
		.where(and(eq(oauthAccounts.userId, args.userId), eq(oauthAccounts.provider, PROVIDER)));
}
