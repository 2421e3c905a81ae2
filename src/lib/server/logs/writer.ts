import type { Db } from '../db/client.ts';
import { deploymentLogs } from '../db/schema/index.ts';
import { logger } from '../log.ts';

export type LogStream = 'build' | 'stdout' | 'stderr' | 'platform';
export type LogEntry = { stream: LogStream; line: string; at: Date };

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

/**
 * Buffers lines of one deployment and stores them in batches (every 250 ms or 500 lines), so a
 * chatty app costs one insert per batch, not per line. `onFlush` receives each stored batch
 * (the live feed hooks in there).
 */
export function createLogWriter(args: {
	db: Db;
	deploymentId: string;
	onFlush?: (entries: LogEntry[]) => void | Promise<void>;
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
				await args.db.insert(deploymentLogs).values(
					batch.map((e) => ({
						deploymentId: args.deploymentId,
						stream: e.stream,
						line: e.line,
						at: e.at
					}))
				);
				await args.onFlush?.(batch);
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
			else timer ??= setTimeout(() => void flush(), 250);
		},
		flush,
		close: flush
	};
}
