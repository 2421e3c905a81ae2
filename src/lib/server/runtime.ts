import type { Redis } from 'ioredis';
import { config } from './config.ts';
import { createDb, type Db } from './db/client.ts';
import { createRedis } from './events/redis.ts';

/** Long-lived clients of this process, created on first use (never at import time). */
export type Runtime = { db: Db; redis: Redis; close: () => Promise<void> };

let runtime: Runtime | undefined;

export function getRuntime(): Runtime {
	if (runtime) return runtime;
	const cfg = config();
	const { db, close: closeDb } = createDb(cfg.DATABASE_URL);
	const redis = createRedis(cfg.REDIS_URL);
	runtime = {
		db,
		redis,
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
