import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { loadInstanceSettings } from '../projects/limits.ts';

const BATCH = 5000;

/**
 * Deletes log lines older than the instance's retention (days), a batch at a time so no
 * statement holds many locks or bloats one transaction, and live writers never wait long.
 * Returns how many lines went. Safe to run again (and concurrently): each batch re-selects.
 */
export async function deleteExpiredLogs(args: {
	db: Db;
	now?: Date;
	batchSize?: number;
}): Promise<{ deleted: number; retentionDays: number }> {
	const { logRetentionDays } = await loadInstanceSettings(args.db);
	const cutoff = new Date((args.now ?? new Date()).getTime() - logRetentionDays * 86_400_000);
	const batch = args.batchSize ?? BATCH;
	let deleted = 0;
	for (;;) {
		const rows = await args.db.execute(sql`
			delete from deployment_logs where id in (
				select id from deployment_logs where at < ${cutoff.toISOString()}::timestamptz limit ${batch}
				for update skip locked
			) returning 1`);
		deleted += rows.length;
		if (rows.length < batch) break;
	}
	return { deleted, retentionDays: logRetentionDays };
}
