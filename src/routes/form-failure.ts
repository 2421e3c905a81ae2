import type { ActionFailure } from '@sveltejs/kit';
import {
	setError,
	type ErrorStatus,
	type FormPathLeavesWithErrors,
	type SuperValidated
} from 'sveltekit-superforms';
import { AppError, type AppErrorCode } from '$lib/server/errors';

const statusOf: Record<AppErrorCode, ErrorStatus> = {
	INVALID: 400,
	UNAUTHORIZED: 400,
	FORBIDDEN: 403,
	NOT_FOUND: 404,
	CONFLICT: 409,
	RATE_LIMITED: 429,
	UNAVAILABLE: 503
};

/**
 * The one place where a page action turns a domain error into a form failure: beside its field
 * when the error names one of the form's fields, above the form otherwise. Anything that is not
 * an AppError is a bug and is rethrown (SvelteKit logs it and shows the 500 page).
 */
export function formFailure<T extends Record<string, unknown>>(
	form: SuperValidated<T>,
	error: unknown
): ActionFailure<{ form: SuperValidated<T> }> {
	if (!(error instanceof AppError)) throw error;
	const path = error.field && error.field in form.data ? error.field : '';
	return setError(form, path as FormPathLeavesWithErrors<T>, error.message, {
		status: statusOf[error.code]
	});
}
