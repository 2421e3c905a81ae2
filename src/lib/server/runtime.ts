import type { Redis } from './events/redis.ts';
import { config, type Config } from './config.ts';
import { keyringFromConfig } from './crypto/keyring.ts';
import type { Keyring } from './crypto/secret-box.ts';
import { createDb, type Db } from './db/client.ts';
import { setEventBus } from './events/bus.ts';

/** Long-lived clients of this process, created on first use (never at import time). */
export type Runtime = {
	db: Db;
	/**
	 * The Redis client, created on first call. ioredis is imported only then: the web server needs
	 * Redis for /readyz and live feeds alone, and loading ioredis at startup slows every cold start.
	 */
	redis: () => Promise<Redis>;
	keyring: Keyring;
	config: Config;
	close: () => Promise<void>;
};

let runtime: Runtime | undefined;

export function getRuntime(): Runtime {
	if (runtime) return runtime;
	const cfg = config();
	const { db, close: closeDb } = createDb(cfg.DATABASE_URL);
	let redis: Promise<Redis> | undefined;
	const getRedis = () =>
		(redis ??= import('./events/redis.ts').then(({ createRedis }) => createRedis(cfg.REDIS_URL)));
	setEventBus(getRedis);
	runtime = {
		db,
		redis: getRedis,
		keyring: keyringFromConfig(cfg),
		config: cfg,
		close: async () => {
			runtime = undefined;
			if (redis) (await redis).disconnect();
			await closeDb();
		}
	};
	return runtime;
}

export async function closeRuntime(): Promise<void> {
	await runtime?.close();
}
