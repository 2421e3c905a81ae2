import pino, { type Logger } from 'pino';

let root: Logger | undefined;

/** Structured JSON logs on stdout. Secrets and tokens must never be passed in. */
export function logger(): Logger {
	root ??= pino({
		level: process.env.LOG_LEVEL ?? 'info',
		base: { process: process.env.SLIPWAY_PROCESS ?? 'web' },
		redact: ['*.password', '*.token', '*.authorization', '*.cookie']
	});
	return root;
}
