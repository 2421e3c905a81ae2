import { z } from 'zod';
import { deploymentFeed } from '../live.ts';
import { cancelDeployment, listDeployments, redeploy } from '../../deployments/actions.ts';
import { createDeployment } from '../../deployments/create.ts';
import { promoteDeployment } from '../../deployments/promote.ts';
import { requestRollback } from '../../deployments/rollback.ts';
import { deploymentUrl } from '../../deployments/urls.ts';
import { DEPLOYMENT_STATES } from '../../deployments/state-machine.ts';
import { readDeploymentLogs, readDeploymentLogsBefore } from '../../logs/read.ts';
import { deploymentProcedure, projectProcedure, router } from '../init.ts';

export const deploymentsRouter = router({
	list: projectProcedure('viewer')
		.input(
			z.object({
				states: z.array(z.enum(DEPLOYMENT_STATES)).max(7).optional(),
				branch: z.string().max(255).optional(),
				before: z.date().optional(),
				limit: z.number().int().min(1).max(200).optional()
			})
		)
		.query(({ ctx, input }) =>
			listDeployments({ db: ctx.db, projectId: ctx.project.id, ...input })
		),

	/** The deployment, with its immutable URL while its container serves it. */
	get: deploymentProcedure('viewer').query(({ ctx }) => {
		const d = ctx.deployment;
		const live = d.state === 'ready' && d.containerId !== null && d.stoppedAt === null;
		return { ...d, url: live ? deploymentUrl(ctx.config, d.project.slug, d.id) : null };
	}),

	logs: deploymentProcedure('viewer')
		.input(
			z.object({
				after: z.number().int().min(0).optional(),
				limit: z.number().int().min(1).max(5000).optional()
			})
		)
		.query(({ ctx, input }) =>
			readDeploymentLogs({
				db: ctx.db,
				deploymentId: ctx.deployment.id,
				after: input.after,
				limit: input.limit
			})
		),

	/** The lines just before `beforeId`, oldest first (the deployment page pages back with it). */
	logsBefore: deploymentProcedure('viewer')
		.input(
			z.object({
				beforeId: z.number().int().min(1),
				limit: z.number().int().min(1).max(5000).optional()
			})
		)
		.query(({ ctx, input }) =>
			readDeploymentLogsBefore({
				db: ctx.db,
				deploymentId: ctx.deployment.id,
				beforeId: input.beforeId,
				limit: input.limit ?? 2000
			})
		),

	/**
	 * Live log lines and state changes of a deployment (SSE). Resumes after `lastEventId` (sent
	 * by the client on reconnect); ends once the deployment writes no more lines.
	 */
	follow: deploymentProcedure('viewer')
		.input(
			z.object({
				lastEventId: z.string().max(100).nullish(),
				/** First connect only: the newest `tail` lines; older ones are announced as omitted. */
				tail: z.number().int().min(1).max(1_000_000).optional()
			})
		)
		.subscription(({ ctx, input, signal }) =>
			deploymentFeed(ctx, ctx.deployment.id, input.lastEventId, signal, input.tail)
		),

	/** Deploy a branch (default: production) at its current head, or at a given commit. */
	create: projectProcedure('member')
		.input(
			z.object({
				branch: z.string().trim().min(1).max(255).optional(),
				commitSha: z.string().trim().max(40).optional()
			})
		)
		.mutation(({ ctx, input }) =>
			createDeployment(
				{ db: ctx.db, keyring: ctx.keyring },
				{
					projectId: ctx.project.id,
					branch: input.branch,
					commitSha: input.commitSha || null,
					trigger: ctx.tokenTeamId ? 'api' : 'manual',
					actorId: ctx.user.id
				}
			)
		),

	redeploy: deploymentProcedure('member').mutation(({ ctx }) =>
		redeploy(
			{ db: ctx.db, keyring: ctx.keyring },
			{ deployment: ctx.deployment, actorId: ctx.user.id }
		)
	),

	/**
	 * Point the deployment's environment back at it (instant when its container still runs).
	 * Rolling back production pauses production auto-deploy; the answer says so.
	 */
	rollback: deploymentProcedure('member').mutation(({ ctx }) =>
		requestRollback(ctx.db, {
			deployment: ctx.deployment,
			actor: { id: ctx.user.id, name: ctx.user.name }
		})
	),

	/** Run this deployment's image on production: no rebuild, production's variables. */
	promote: deploymentProcedure('member').mutation(({ ctx }) =>
		promoteDeployment(
			{ db: ctx.db, keyring: ctx.keyring },
			{ deploymentId: ctx.deployment.id, actorId: ctx.user.id }
		)
	),

	cancel: deploymentProcedure('member').mutation(async ({ ctx }) => {
		await cancelDeployment({ db: ctx.db, deployment: ctx.deployment });
		return { ok: true as const };
	})
});
