import type { Task } from 'graphile-worker';
import { deleteStaleRateLimits } from '../../lib/server/auth/rate-limit.ts';
import { deleteExpiredSessions } from '../../lib/server/auth/session.ts';
import type { Db } from '../../lib/server/db/client.ts';
import { jobPayloads } from '../../lib/server/jobs/registry.ts';

/** Hourly: drop expired sessions and old rate-limit windows. Idempotent. */
export function cleanupSessionsTask(db: Db): Task {
	return async (payload, helpers) => {
		jobPayloads.cleanup_sessions.parse(payload ?? {});
		const sessions = await deleteExpiredSessions({ db });
		await deleteStaleRateLimits({ db });
		helpers.logger.info(`removed ${sessions} expired sessions`);
	};
}
