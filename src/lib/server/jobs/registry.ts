import { z } from 'zod';

/**
 * Every job Slipway enqueues, with its payload schema. The worker refuses to start unless each
 * name here has a task, so a job can never sit in the queue with nobody to run it.
 */
export const jobPayloads = {
	cleanup_sessions: z.object({}).strict(),
	deploy: z.object({ deploymentId: z.uuid() }).strict(),
	remove_project_resources: z
		.object({ projectId: z.uuid(), projectSlug: z.string().regex(/^[a-z0-9-]+$/) })
		.strict()
} as const;

export type JobName = keyof typeof jobPayloads;
export const JOB_NAMES = Object.keys(jobPayloads) as JobName[];

/** Recurring jobs (graphile-worker crontab syntax). */
export const CRONTAB = ['0 * * * * cleanup_sessions'].join('\n');
