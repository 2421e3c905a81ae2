export type AppErrorCode =
	| 'NOT_FOUND'
	| 'FORBIDDEN'
	| 'UNAUTHORIZED'
	| 'CONFLICT'
	| 'INVALID'
	| 'RATE_LIMITED'
	| 'UNAVAILABLE';

/** The HTTP status each kind of domain error answers with. */
export const httpStatusOf: Record<AppErrorCode, 400 | 401 | 403 | 404 | 409 | 429 | 503> = {
	NOT_FOUND: 404,
	FORBIDDEN: 403,
	UNAUTHORIZED: 401,
	CONFLICT: 409,
	INVALID: 400,
	RATE_LIMITED: 429,
	UNAVAILABLE: 503
};

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
