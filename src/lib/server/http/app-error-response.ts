import { AppError, type AppErrorCode } from '../errors.ts';
import { logger } from '../log.ts';

const statuses: Record<AppErrorCode, number> = {
	NOT_FOUND: 404,
	FORBIDDEN: 403,
	UNAUTHORIZED: 401,
	CONFLICT: 409,
	INVALID: 400,
	RATE_LIMITED: 429,
	UNAVAILABLE: 503
};

/** The one mapping of domain errors for plain `+server.ts` endpoints: JSON `{ error, code }`. */
export function appErrorResponse(error: unknown): Response {
	if (error instanceof AppError) {
		return Response.json(
			{ error: error.message, code: error.code, field: error.field },
			{ status: statuses[error.code] }
		);
	}
	logger().error({ err: error }, 'endpoint failed');
	return Response.json(
		{ error: 'Something went wrong on our side. Try again.', code: 'INTERNAL' },
		{ status: 500 }
	);
}
