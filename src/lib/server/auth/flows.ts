import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { logIn, signUp } from './accounts.ts';
import { consumeRateLimit } from './rate-limit.ts';
import { createSession } from './session.ts';

type Client = { ip: string; userAgent: string };
type Limits = Pick<
	Config,
	'SESSION_TTL_DAYS' | 'RATE_LIMIT_LOGIN_PER_15_MIN' | 'RATE_LIMIT_SIGNUP_PER_HOUR'
>;

/** Rate-limited by address and by account, then a new session. */
export async function logInWithPassword(
	args: { db: Db; email: string; password: string; config: Limits } & Client
) {
	const limit = args.config.RATE_LIMIT_LOGIN_PER_15_MIN;
	await consumeRateLimit({
		db: args.db,
		key: `login:ip:${args.ip}`,
		limit: limit * 3,
		windowSeconds: 900
	});
	await consumeRateLimit({
		db: args.db,
		key: `login:email:${args.email}`,
		limit,
		windowSeconds: 900
	});
	const user = await logIn(args);
	return { ...(await startSession(args, user.id)), user };
}

/** Rate-limited by address; creates the account, its personal team and a session. */
export async function signUpWithPassword(
	args: { db: Db; name: string; email: string; password: string; config: Limits } & Client
) {
	await consumeRateLimit({
		db: args.db,
		key: `signup:ip:${args.ip}`,
		limit: args.config.RATE_LIMIT_SIGNUP_PER_HOUR,
		windowSeconds: 3600
	});
	const { user, team } = await signUp(args);
	return { ...(await startSession(args, user.id)), user, team };
}

function startSession(args: { db: Db; config: Limits } & Client, userId: string) {
	return createSession({
		db: args.db,
		userId,
		ttlDays: args.config.SESSION_TTL_DAYS,
		ipAddress: args.ip,
		userAgent: args.userAgent
	});
}
