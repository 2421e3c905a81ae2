import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { rateLimits } from '../db/schema/index.ts';

/**
 * Counts one attempt against `key` in a fixed window kept in Postgres, so every web replica
 * shares it. Throws RATE_LIMITED once `limit` attempts were made in the current window.
 */
export async function consumeRateLimit(args: {
	db: Db;
	key: string;
	limit: number;
	windowSeconds: number;
}): Promise<void> {
	const window = sql`make_interval(secs => ${args.windowSeconds})`;
	const [row] = await args.db
		.insert(rateLimits)
		.values({ key: args.key, windowStart: sql`now()`, count: 1 })
		.onConflictDoUpdate({
			target: rateLimits.key,
			set: {
				count: sql`case when ${rateLimits.windowStart} + ${window} <= now() then 1 else ${rateLimits.count} + 1 end`,
				windowStart: sql`case when ${rateLimits.windowStart} + ${window} <= now() then now() else ${rateLimits.windowStart} end`
			}
		})
		.returning({
			count: rateLimits.count,
			retryIn: sql<number>`ceil(extract(epoch from (${rateLimits.windowStart} + ${window} - now())))::int`
		});
	if (row.count > args.limit) {
		const minutes = Math.max(1, Math.ceil(row.retryIn / 60));
		throw new AppError(
			'RATE_LIMITED',
			`Too many attempts. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`
		);
	}
}

export async function deleteStaleRateLimits(args: { db: Db }): Promise<void> {
	await args.db.delete(rateLimits).where(sql`${rateLimits.windowStart} < now() - interval '1 day'`);
}
