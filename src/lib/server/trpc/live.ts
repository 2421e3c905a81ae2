import type { Redis } from '../events/redis.ts';
import { tracked } from '@trpc/server';
import { AppError } from '../errors.ts';
import { followFeed } from '../events/feed.ts';
import { followDeploymentLogs } from '../logs/live.ts';
import type { Context } from './context.ts';

/**
 * A Redis connection of its own for one live view (a blocking XREAD holds its connection). When
 * Redis is down this throws: the client shows "reconnecting" and retries with its last event id.
 */
export async function liveRedis(ctx: Pick<Context, 'redis'>): Promise<Redis> {
	if (!ctx.redis) throw new AppError('UNAVAILABLE', 'Live updates are not available here.');
	const shared = await ctx.redis();
	const redis = shared.duplicate();
	redis.on('error', () => {});
	try {
		await redis.connect();
		return redis;
	} catch {
		redis.disconnect();
		throw new AppError(
			'UNAVAILABLE',
			'Live updates are unavailable (Redis is not reachable); reconnecting.'
		);
	}
}

/**
 * A project's or team's deployment feed as tracked SSE events. The connection is made before
 * the stream starts, so "Redis is down" reaches the client as a mapped error it can show.
 */
export async function feed(
	ctx: Pick<Context, 'redis'>,
	key: string,
	lastEventId: string | null | undefined,
	signal: AbortSignal | undefined
) {
	const redis = await liveRedis(ctx);
	return (async function* () {
		try {
			for await (const item of followFeed({
				redis,
				key,
				lastEventId,
				signal: signal ?? new AbortController().signal
			})) {
				yield tracked(item.id, item.event);
			}
		} finally {
			redis.disconnect();
		}
	})();
}

/** Same for one deployment's log and state. */
export async function deploymentFeed(
	ctx: Pick<Context, 'redis' | 'db'>,
	deploymentId: string,
	lastEventId: string | null | undefined,
	signal: AbortSignal | undefined,
	tail?: number
) {
	const redis = await liveRedis(ctx);
	return (async function* () {
		try {
			for await (const item of followDeploymentLogs({
				db: ctx.db,
				redis,
				deploymentId,
				lastEventId,
				tail,
				signal: signal ?? new AbortController().signal
			})) {
				yield tracked(item.id, item.event);
			}
		} finally {
			redis.disconnect();
		}
	})();
}
