import type { SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			/** SHA-256 id of the cookie session; null for API tokens and anonymous requests. */
			sessionId: string | null;
			/** The team an API token is restricted to. */
			tokenTeamId: string | null;
		}
	}
}

export {};
