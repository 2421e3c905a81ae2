export type AppErrorCode =
	| 'NOT_FOUND'
	| 'FORBIDDEN'
	| 'UNAUTHORIZED'
	| 'CONFLICT'
	| 'INVALID'
	| 'RATE_LIMITED'
	| 'UNAVAILABLE';

/** A domain error: the message is written for the user and says what to do next. */
export class AppError extends Error {
	readonly code: AppErrorCode;
	readonly field?: string;

	constructor(
		code: AppErrorCode,
		message: string,
		options: { field?: string; cause?: unknown } = {}
	) {
		super(message, { cause: options.cause });
		this.name = 'AppError';
		this.code = code;
		this.field = options.field;
	}
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found.`);
