import type { Task } from 'graphile-worker';
import type { Db } from '../../lib/server/db/client.ts';
import { jobPayloads } from '../../lib/server/jobs/registry.ts';
import { deleteExpiredLogs } from '../../lib/server/logs/retention.ts';

/** Hourly: log lines past the instance's retention go, in batches. Idempotent. */
export function logRetentionTask(db: Db): Task {
	return async (payload, helpers) => {
		jobPayloads.log_retention.parse(payload ?? {});
		const { deleted, retentionDays } = await deleteExpiredLogs({ db });
		if (deleted > 0)
			helpers.logger.info(`removed ${deleted} log lines older than ${retentionDays} days`);
	};
}
