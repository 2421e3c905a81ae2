import { Redis } from 'ioredis';

/** Redis only carries live feeds; a missing Redis must never block a request for long. */
export function createRedis(url: string): Redis {
	const redis = new Redis(url, {
		lazyConnect: true,
		maxRetriesPerRequest: 1,
		connectTimeout: 2000,
		enableOfflineQueue: true,
		retryStrategy: (times) => Math.min(times * 200, 2000)
	});
	// Failures reach the caller of each command; the connection's own errors need no noise.
	redis.on('error', () => {});
	return redis;
}

export async function pingRedis(redis: Redis): Promise<void> {
	if (redis.status === 'wait') await redis.connect();
	const reply = await redis.ping();
	if (reply !== 'PONG') throw new Error(`unexpected PING reply: ${reply}`);
}

export type { Redis };
