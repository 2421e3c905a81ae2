import type { Redis } from 'ioredis';
import { config, type Config } from './config.ts';
import { keyringFromConfig } from './crypto/keyring.ts';
import type { Keyring } from './crypto/secret-box.ts';
import { createDb, type Db } from './db/client.ts';
import { createRedis } from './events/redis.ts';

/** Long-lived clients of this process, created on first use (never at import time). */
export type Runtime = {
	db: Db;
	redis: Redis;
	keyring: Keyring;
	config: Config;
	close: () => Promise<void>;
};

let runtime: Runtime | undefined;

export function getRuntime(): Runtime {
	if (runtime) return runtime;
	const cfg = config();
	const { db, close: closeDb } = createDb(cfg.DATABASE_URL);
	const redis = createRedis(cfg.REDIS_URL);
	runtime = {
		db,
		redis,
		keyring: keyringFromConfig(cfg),
		config: cfg,
		close: async () => {
			runtime = undefined;
			redis.disconnect();
			await closeDb();
		}
	};
	return runtime;
}

export async function closeRuntime(): Promise<void> {
	await runtime?.close();
}
