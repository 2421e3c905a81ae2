import type { Redis } from 'ioredis';
import { createRedis } from '../../src/lib/server/events/redis.ts';
import { parseConfig } from '../../src/lib/server/config.ts';
import { keyringFromConfig } from '../../src/lib/server/crypto/keyring.ts';
import { createSession } from '../../src/lib/server/auth/session.ts';
import { signUp } from '../../src/lib/server/auth/accounts.ts';
import type { Db } from '../../src/lib/server/db/client.ts';
import { createCaller } from '../../src/lib/server/trpc/router.ts';

let counter = 0;

export const testConfig = parseConfig({
	DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
	SLIPWAY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
	SLIPWAY_ALLOW_LOCAL_GIT: '1',
	SLIPWAY_WORK_DIR: '/tmp/slipway-test',
	// The suite's shared Caddy (tests/integration/global-setup.ts); unit tests never reach it.
	CADDY_ADMIN_URL: process.env.CADDY_ADMIN_URL,
	SLIPWAY_PROXY_PORT: process.env.SLIPWAY_PROXY_PORT,
	CADDY_VERSION: process.env.CADDY_VERSION
});
export const testKeyring = keyringFromConfig(testConfig);

let redis: Promise<Redis> | undefined;
/** One Redis client per test process, as the web process has (live feeds). */
export const testRedis = () =>
	(redis ??= Promise.resolve(createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')));
export async function closeTestRedis() {
	if (redis) (await redis).disconnect();
	redis = undefined;
}

/** A signed-up user with a browser session, and a tRPC caller acting as them. */
export async function makeUser(db: Db, name = `User ${++counter}`) {
	const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${counter}@example.com`;
	const { user, team } = await signUp({ db, name, email, password: 'correct horse battery' });
	const { token, session } = await createSession({ db, userId: user.id, ttlDays: 30 });
	const caller = createCaller({
		db,
		keyring: testKeyring,
		config: testConfig,
		user: {
			id: user.id,
			email: user.email,
			name: user.name,
			isInstanceAdmin: user.isInstanceAdmin
		},
		sessionId: session.id,
		tokenTeamId: null,
		ip: '127.0.0.1',
		userAgent: 'vitest',
		redis: testRedis
	});
	return { user, team, email, password: 'correct horse battery', token, session, caller };
}

/** The tRPC error code of a rejected call, or 'OK' when it succeeded. */
export async function codeOf(call: Promise<unknown>): Promise<string> {
	try {
		await call;
		return 'OK';
	} catch (error) {
		return (error as { code?: string }).code ?? String(error);
	}
}
