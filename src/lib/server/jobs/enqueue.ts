import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { jobPayloads, type JobName } from './registry.ts';
import type { z } from 'zod';

/**
 * Adds a job inside the caller's transaction, so the row and its job commit together or not at
 * all. `maxAttempts` is explicit: graphile's default of 25 retries is wrong for most of ours.
 */
export async function addJob<N extends JobName>(
	db: Db | Tx,
	name: N,
	payload: z.input<(typeof jobPayloads)[N]>,
	options: {
		maxAttempts: number;
		jobKey?: string;
		jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe';
		queueName?: string;
		runAt?: Date;
	}
): Promise<void> {
	const checked = jobPayloads[name].parse(payload);
	await db.execute(sql`select graphile_worker.add_job(
		${name},
		${JSON.stringify(checked)}::json,
		queue_name := ${options.queueName ?? null},
		run_at := ${options.runAt?.toISOString() ?? null}::timestamptz,
		max_attempts := ${options.maxAttempts},
		job_key := ${options.jobKey ?? null},
		job_key_mode := ${options.jobKeyMode ?? 'replace'}
	)`);
}
