import { createSlipwayClient, type SlipwayClient } from './client';

let client: SlipwayClient | undefined;

/** One client per tab: batching and subscriptions share it. Browser only (relative URL). */
export function trpc(): SlipwayClient {
	return (client ??= createSlipwayClient());
}

/** The message of a failed call, written for the user by the server; a fallback otherwise. */
export function errorMessage(error: unknown): string {
	if (error instanceof Error && error.message) return error.message;
	return 'Something went wrong. Try again.';
}

/** The form field a failed call names (the server sets it for domain and input errors). */
export function errorField(error: unknown): string | undefined {
	const data = (error as { data?: { field?: unknown } } | null)?.data;
	return typeof data?.field === 'string' ? data.field : undefined;
}
