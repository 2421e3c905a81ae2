import { AppError, httpStatusOf } from '../errors.ts';
import { logger } from '../log.ts';

/** The one mapping of domain errors for plain `+server.ts` endpoints: JSON `{ error, code }`. */
export function appErrorResponse(error: unknown): Response {
	if (error instanceof AppError) {
		return Response.json(
			{ error: error.message, code: error.code, field: error.field },
			{ status: httpStatusOf[error.code] }
		);
	}
	logger().error({ err: error }, 'endpoint failed');
	return Response.json(
		{ error: 'Something went wrong on our side. Try again.', code: 'INTERNAL' },
		{ status: 500 }
	);
}
