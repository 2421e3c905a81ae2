import type { Redis } from 'ioredis';
import type { FeedEvent } from './bus.ts';
import { compareStreamIds, followStream, streamBounds } from './read.ts';

export type FeedItem = { id: string; event: FeedEvent | { type: 'resync' } };

/**
 * A project's or team's feed of deployment changes. Resumes after `lastEventId` when the stream
 * still holds it; otherwise (first connect, or the stream was trimmed past it) it first says
 * `resync`, and the client reloads its list from Postgres before applying what follows.
 */
export async function* followFeed(args: {
	redis: Redis;
	key: string;
	lastEventId?: string | null;
	signal: AbortSignal;
}): AsyncGenerator<FeedItem> {
	const bounds = await streamBounds(args.redis, args.key);
	const resume = args.lastEventId && /^\d+-\d+$/.test(args.lastEventId) ? args.lastEventId : null;
	let position = bounds.last;
	if (resume && bounds.first && compareStreamIds(resume, bounds.first) >= 0) {
		position = resume;
	} else {
		yield { id: position, event: { type: 'resync' } };
	}
	for await (const item of followStream<FeedEvent>(args.redis, args.key, position, args.signal)) {
		yield item;
	}
}
