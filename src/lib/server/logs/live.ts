import { eq, sql } from 'drizzle-orm';
import type { Redis } from '../events/redis.ts';
import type { Db } from '../db/client.ts';
import { deployments } from '../db/schema/index.ts';
import { streamKeys, type DeploymentEvent, type LogEntryEvent } from '../events/bus.ts';
import { compareStreamIds, followStream, streamBounds } from '../events/read.ts';
import { readDeploymentLogs } from './read.ts';

/** Event ids are `<stream id>~<last log id>`: where to go on in the stream, and in Postgres. */
export function parseEventId(id: string | null | undefined) {
	const m = /^(\d+-\d+)~(\d+)$/.exec(id ?? '');
	return m ? { streamId: m[1], logId: Number(m[2]) } : null;
}

export type LiveItem = { id: string; event: DeploymentEvent };

const BACKFILL_PAGE = 2000;

/**
 * A deployment's log and state, live: resumes after `lastEventId` from the Redis Stream when the
 * stream still holds it, otherwise back-fills from Postgres (the record) first, then follows the
 * stream, never yielding a line twice. Ends when the deployment will write no more lines.
 */
export async function* followDeploymentLogs(args: {
	db: Db;
	redis: Redis;
	deploymentId: string;
	lastEventId?: string | null;
	/** On a first connect, back-fill only the newest `tail` lines (a 100,000-line log opens fast). */
	tail?: number;
	signal: AbortSignal;
}): AsyncGenerator<LiveItem> {
	const key = streamKeys.deployment(args.deploymentId);
	const resume = parseEventId(args.lastEventId);
	let lastLog = resume?.logId ?? 0;
	const bounds = await streamBounds(args.redis, key);
	let position: string;
	if (resume && bounds.first && compareStreamIds(resume.streamId, bounds.first) >= 0) {
		position = resume.streamId;
	} else {
		// Take the stream's position first: whatever is published after it comes from the stream,
		// whatever was stored before it comes from Postgres; ids drop the overlap.
		position = bounds.last;
		if (!resume && args.tail) {
			const skip = await tailStart(args.db, args.deploymentId, args.tail);
			if (skip.omitted > 0) {
				lastLog = skip.after;
				yield { id: `${position}~${lastLog}`, event: { type: 'truncated', omitted: skip.omitted } };
			}
		}
		for (;;) {
			const rows = await readDeploymentLogs({
				db: args.db,
				deploymentId: args.deploymentId,
				after: lastLog,
				limit: BACKFILL_PAGE
			});
			if (rows.length === 0) break;
			lastLog = rows.at(-1)!.id;
			yield {
				id: `${position}~${lastLog}`,
				event: { type: 'logs', entries: rows.map(toEntry) }
			};
			if (rows.length < BACKFILL_PAGE) break;
		}
		if (await finished(args.db, args.deploymentId)) {
			yield { id: `${position}~${lastLog}`, event: { type: 'end' } };
			return;
		}
	}
	for await (const { id, event } of followStream<DeploymentEvent>(
		args.redis,
		key,
		position,
		args.signal
	)) {
		if (event.type === 'logs') {
			const fresh = event.entries.filter((e) => e.id > lastLog);
			if (fresh.length === 0) continue;
			lastLog = fresh.at(-1)!.id;
			yield { id: `${id}~${lastLog}`, event: { type: 'logs', entries: fresh } };
		} else {
			yield { id: `${id}~${lastLog}`, event };
			if (event.type === 'end') return;
		}
	}
}

function toEntry(row: { id: number; stream: string; line: string; at: Date }): LogEntryEvent {
	return { id: row.id, stream: row.stream, line: row.line, at: row.at.toISOString() };
}

/**
 * No more lines will come: it ended without going live (a few seconds ago at least, so its last
 * lines are stored), or its container was retired.
 */
async function finished(db: Db, id: string): Promise<boolean> {
	const [d] = await db
		.select({
			state: deployments.state,
			finishedAt: deployments.finishedAt,
			stoppedAt: deployments.stoppedAt
		})
		.from(deployments)
		.where(eq(deployments.id, id));
	if (!d) return true;
	if (d.stoppedAt) return true;
	const ended = ['failed', 'canceled', 'skipped'].includes(d.state);
	return ended && !!d.finishedAt && Date.now() - d.finishedAt.getTime() > 3000;
}

/** Where a back-fill of the newest `tail` lines starts, and how many older lines it leaves out. */
async function tailStart(db: Db, deploymentId: string, tail: number) {
	const [row] = await db.execute<{ after: string | null; omitted: number }>(sql`
		with cut as (
			select id from deployment_logs where deployment_id = ${deploymentId}
			order by id desc offset ${tail} limit 1
		)
		select (select id from cut) as after,
			(select count(*)::int from deployment_logs
			 where deployment_id = ${deploymentId} and id <= (select id from cut)) as omitted`);
	return { after: row?.after ? Number(row.after) : 0, omitted: row?.omitted ?? 0 };
}
