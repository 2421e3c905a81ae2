import type { TaskList } from 'graphile-worker';
import type { Db } from '../../lib/server/db/client.ts';
import type { JobName } from '../../lib/server/jobs/registry.ts';
import { cleanupSessionsTask } from './cleanup-sessions.ts';

export function createTaskList(db: Db): Record<JobName, TaskList[string]> {
	return {
		cleanup_sessions: cleanupSessionsTask(db)
	};
}
