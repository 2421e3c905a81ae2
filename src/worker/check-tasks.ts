import { sql } from 'drizzle-orm';
import type { Db } from '../lib/server/db/client.ts';
import { JOB_NAMES } from '../lib/server/jobs/registry.ts';

/**
 * Fails the boot when a job name has no task: both the names we enqueue and any job already
 * waiting in the queue (e.g. left by a newer or older release).
 */
export async function assertEveryJobHasATask(db: Db, taskNames: string[]): Promise<void> {
	const known = new Set(taskNames);
	const missing = JOB_NAMES.filter((name) => !known.has(name));
	const rows = await db.execute<{ identifier: string }>(
		sql`select distinct task_identifier as identifier from graphile_worker.jobs`
	);
	for (const { identifier } of rows) {
		if (!known.has(identifier) && !missing.includes(identifier as never))
			missing.push(identifier as never);
	}
	if (missing.length > 0) {
		const names = missing.map((m) => `'${m}'`).join(', ');
		throw new Error(
			`No task is registered for job name(s): ${missing.join(', ')}. ` +
				'Add a task in src/worker/tasks/index.ts, or delete those jobs: ' +
				'select graphile_worker.complete_jobs(array(select id from graphile_worker.jobs ' +
				`where task_identifier in (${names})));`
		);
	}
}
