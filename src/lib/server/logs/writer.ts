import type { Db } from '../db/client.ts';
import { deploymentLogs } from '../db/schema/index.ts';
import { publishDeploymentEvent } from '../events/bus.ts';
import { logger } from '../log.ts';

export type LogStream = 'build' | 'stdout' | 'stderr' | 'platform';
export type LogEntry = { stream: LogStream; line: string; at: Date };
export type StoredLogEntry = LogEntry & { id: number };

// One pathological line (a minified bundle, a binary blob) must not bloat the store or the UI.
export const MAX_LINE_CHARS = 16_384;

/** Postgres text cannot hold NUL; very long lines are cut with a visible marker. */
export function sanitizeLine(line: string): string {
	const clean = line.replaceAll('\0', '\uFFFD').replace(/\r$/, '');
	return clean.length > MAX_LINE_CHARS
		? `${clean.slice(0, MAX_LINE_CHARS)} … [line truncated: ${clean.length} characters]`
		: clean;
}

export type LogWriter = {
	write: (stream: LogStream, line: string, at?: Date) => void;
	/** Writes what is buffered; resolves when it is stored. */
	flush: () => Promise<void>;
	close: () => Promise<void>;
};

/** Default `onFlush`: each stored batch goes to the deployment's live feed, ids included. */
const publishLogs = (deploymentId: string) => (entries: StoredLogEntry[]) =>
	publishDeploymentEvent(deploymentId, {
		type: 'logs',
		entries: entries.map((e) => ({
			id: e.id,
			stream: e.stream,
			line: e.line,
			at: e.at.toISOString()
		}))
	});

/** Lines wait at most this long before they are stored and sent to live views. */
export const FLUSH_MS = 50;

/**
 * Buffers lines of one deployment and stores them in batches (every 50 ms or 500 lines), so a
 * chatty app costs one insert per batch, not per line. Each stored batch then goes to `onFlush`,
 * by default the deployment's live feed (Redis Stream).
 */
export function createLogWriter(args: {
	db: Db;
	deploymentId: string;
	onFlush?: (entries: StoredLogEntry[]) => unknown;
}): LogWriter {
	let buffer: LogEntry[] = [];
	let timer: NodeJS.Timeout | null = null;
	let chain: Promise<void> = Promise.resolve();

	const flush = () => {
		if (timer) clearTimeout(timer);
		timer = null;
		if (buffer.length === 0) return chain;
		const batch = buffer;
		buffer = [];
		chain = chain.then(async () => {
			try {
				const ids = await args.db
					.insert(deploymentLogs)
					.values(
						batch.map((e) => ({
							deploymentId: args.deploymentId,
							stream: e.stream,
							line: e.line,
							at: e.at
						}))
					)
					.returning({ id: deploymentLogs.id });
				const stored = batch.map((e, i) => ({ ...e, id: ids[i].id }));
				if (args.onFlush) await args.onFlush(stored);
				// Not awaited: a slow or missing Redis must never hold up storing the next batch
				// (ioredis keeps the order of the appends on its one connection).
				else void publishLogs(args.deploymentId)(stored);
			} catch (error) {
				logger().error(
					{ err: error, deploymentId: args.deploymentId },
					'could not store log lines'
				);
			}
		});
		return chain;
	};

	return {
		write(stream, line, at = new Date()) {
			buffer.push({ stream, line: sanitizeLine(line), at });
			if (buffer.length >= 500) void flush();
			else timer ??= setTimeout(() => void flush(), FLUSH_MS);
		},
		flush,
		close: flush
	};
}
