import { Logger } from 'graphile-worker';
import type { Logger as Pino } from 'pino';

/** Routes graphile-worker's log lines into our structured log. */
export function graphileLogger(log: Pino, minLevel: 'debug' | 'info' | 'warning' = 'info'): Logger {
	const order = { debug: 0, info: 1, warning: 2, error: 3 } as const;
	return new Logger((scope) => (level, message, meta) => {
		if (order[level as keyof typeof order] < order[minLevel]) return;
		const fields = { ...scope, ...meta };
		if (level === 'error') log.error(fields, message);
		else if (level === 'warning') log.warn(fields, message);
		else if (level === 'info') log.info(fields, message);
		else log.debug(fields, message);
	});
}
