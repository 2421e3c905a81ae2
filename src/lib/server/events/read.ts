import type { Redis } from 'ioredis';

/** Stream ids are `<ms>-<seq>`: compare them as pairs of numbers. */
export function compareStreamIds(a: string, b: string): number {
	const [am, as] = a.split('-').map(Number);
	const [bm, bs] = b.split('-').map(Number);
	return am !== bm ? am - bm : as - bs;
}

export type StreamEntry<T> = { id: string; event: T };

/** The id of the oldest entry the stream still holds, and of the newest ('0-0' when empty). */
export async function streamBounds(redis: Redis, key: string) {
	const [first] = await redis.xrange(key, '-', '+', 'COUNT', 1);
	const [last] = await redis.xrevrange(key, '+', '-', 'COUNT', 1);
	return { first: first?.[0] ?? null, last: last?.[0] ?? '0-0' };
}

/**
 * Follows a stream after `from` with XREAD BLOCK on a connection of its own (a blocking read
 * holds its connection). Ends when `signal` aborts; throws when Redis goes away, so the client
 * shows "reconnecting" and resumes from its last event id.
 */
export async function* followStream<T>(
	redis: Redis,
	key: string,
	from: string,
	signal: AbortSignal
): AsyncGenerator<StreamEntry<T>> {
	let last = from;
	const onAbort = () => redis.disconnect();
	signal.addEventListener('abort', onAbort, { once: true });
	try {
		while (!signal.aborted) {
			const reply = (await redis.xread('COUNT', 200, 'BLOCK', 5000, 'STREAMS', key, last)) as
				[string, [string, string[]][]][] | null;
			if (signal.aborted) return;
			for (const [, entries] of reply ?? []) {
				for (const [id, fields] of entries) {
					last = id;
					const raw = fields[fields.indexOf('e') + 1];
					yield { id, event: JSON.parse(raw) as T };
				}
			}
		}
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
