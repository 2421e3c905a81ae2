import { z } from 'zod';

/**
 * Every job Slipway enqueues, with its payload schema. The worker refuses to start unless each
 * name here has a task, so a job can never sit in the queue with nobody to run it.
 */
export const jobPayloads = {
	cleanup_sessions: z.object({}).strict(),
	deploy: z.object({ deploymentId: z.uuid() }).strict(),
	/** Stop containers no alias needs after the drain period; apply image retention. */
	retire_deployments: z.object({ projectId: z.uuid() }).strict(),
	/** Hourly: retention for every project (catches what a missed retire left). */
	sweep_deployments: z.object({}).strict(),
	/** Rollback: point an alias at an earlier deployment (restarting it if it was retired). */
	switch_alias: z.object({ aliasId: z.uuid(), deploymentId: z.uuid() }).strict(),
	/** Hourly: delete log lines older than the instance's retention (days). */
	log_retention: z.object({}).strict(),
	/** A verified GitHub webhook delivery (github_deliveries row) to act on. */
	github_event: z.object({ deliveryId: z.string().regex(/^[A-Za-z0-9-]{1,100}$/) }).strict(),
	/** Daily: forget webhook deliveries older than a week (replays come within hours). */
	prune_github_deliveries: z.object({}).strict(),
	remove_project_resources: z
		.object({ projectId: z.uuid(), projectSlug: z.string().regex(/^[a-z0-9-]+$/) })
		.strict(),
	/** Report a deployment's current state to GitHub (commit status, GitHub Deployment). */
	github_report: z.object({ deploymentId: z.uuid() }).strict(),
	/** Write a pull request's sticky comment (every project's preview of it). */
	github_pr_comment: z
		.object({ repoId: z.number().int().positive(), number: z.number().int().positive() })
		.strict(),
	/** Re-queue GitHub reports whose job was lost. */
	github_report_sweep: z.object({}).strict(),
	/** A rollback: the deployment serving again gets `success` on GitHub, the replaced one inactive. */
	github_rollback: z.object({ deploymentId: z.uuid() }).strict(),
	/** A preview went away: its GitHub Deployments are marked inactive. */
	github_preview_removed: z
		.object({
			projectId: z.uuid(),
			target: z.discriminatedUnion('kind', [
				z.object({ kind: z.literal('branch'), branch: z.string().min(1).max(255) }).strict(),
				z.object({ kind: z.literal('pull_request'), number: z.number().int().positive() }).strict()
			])
		})
		.strict()
} as const;

export type JobName = keyof typeof jobPayloads;
export const JOB_NAMES = Object.keys(jobPayloads) as JobName[];

/** Recurring jobs (graphile-worker crontab syntax). */
export const CRONTAB = [
	'0 * * * * cleanup_sessions',
	'30 * * * * sweep_deployments',
	'45 * * * * log_retention',
	'20 4 * * * prune_github_deliveries',
	'*/10 * * * * github_report_sweep'
].join('\n');
