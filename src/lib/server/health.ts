import type { Redis } from './events/redis.ts';
import type { Db } from './db/client.ts';
import { schemaStatus } from './db/migration-status.ts';
import { pingRedis } from './events/redis.ts';

type Check = { ok: true } | { ok: false; error: string };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	return Promise.race([
		promise,
		new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))
	]);
}

async function check(run: () => Promise<unknown>): Promise<Check> {
	try {
		await withTimeout(run(), 2000);
		return { ok: true };
	} catch (error) {
		return { ok: false, error: error instanceof Error ? error.message : String(error) };
	}
}

/** Readiness: the dependencies a request needs answer now. */
export async function checkReadiness(args: { db: Db; redis: () => Promise<Redis> }) {
	const [postgres, redis] = await Promise.all([
		check(async () => {
			const schema = await schemaStatus(args.db);
			if (!schema.ok) throw new Error(schema.error);
		}),
		check(async () => pingRedis(await args.redis()))
	]);
	return { ok: postgres.ok && redis.ok, checks: { postgres, redis } };
}
