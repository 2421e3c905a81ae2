import { z } from 'zod';
import { streamKeys } from '../../events/bus.ts';
import { feed } from '../live.ts';
import { createProjectSchema, projectSettingsSchema } from '../../../schemas/project.ts';
import { join } from 'node:path';
import { listProjectAliases, resumeProductionAutoDeploy } from '../../deployments/promote.ts';
import { createProject } from '../../projects/create.ts';
import { detectRepository } from '../../projects/detect-remote.ts';
import { getProjectDetails, listTeamProjects, publicProject } from '../../projects/queries.ts';
import { deleteProject, updateProjectSettings } from '../../projects/settings.ts';
import { projectProcedure, router, teamProcedure } from '../init.ts';
import type { Context } from '../context.ts';

const projectContext = (ctx: Context) => ({
	db: ctx.db,
	keyring: ctx.keyring,
	allowLocalGit: ctx.config.SLIPWAY_ALLOW_LOCAL_GIT,
	gitHome: join(ctx.config.SLIPWAY_WORK_DIR, 'git-home')
});

export const projectsRouter = router({
	list: teamProcedure('viewer').query(({ ctx }) => listTeamProjects(ctx.db, ctx.team.id)),

	get: projectProcedure('viewer').query(({ ctx }) => getProjectDetails(ctx.db, ctx.project)),

	/** New-project flow, step 2: what the repository looks like and which preset fits. */
	detect: teamProcedure('admin')
		.input(
			z.object({
				repoUrl: z.string().trim().min(1).max(2048),
				branch: z.string().trim().max(255).optional(),
				rootDirectory: z.string().trim().max(500).default('')
			})
		)
		.mutation(({ ctx, input }) => detectRepository(projectContext(ctx), input)),

	create: teamProcedure('admin')
		.input(createProjectSchema)
		.mutation(async ({ ctx, input }) =>
			publicProject(
				await createProject(projectContext(ctx), {
					teamId: ctx.team.id,
					actorId: ctx.user.id,
					input
				})
			)
		),

	/** Deployments of this project created or changed, live (SSE); `resync` means refetch. */
	follow: projectProcedure('viewer')
		.input(z.object({ lastEventId: z.string().max(100).nullish() }))
		.subscription(({ ctx, input, signal }) =>
			feed(ctx, streamKeys.project(ctx.project.id), input.lastEventId, signal)
		),

	/** Production, environment, branch and pull-request hostnames and what each serves. */
	aliases: projectProcedure('viewer').query(({ ctx }) =>
		listProjectAliases(ctx.db, ctx.config, ctx.project.id)
	),

	/** After a production rollback: let pushes to the production branch go live again. */
	resumeProductionAutoDeploy: projectProcedure('member').mutation(async ({ ctx }) => {
		await resumeProductionAutoDeploy(ctx.db, ctx.project.id);
		return { ok: true as const };
	}),

	update: projectProcedure('member')
		.input(projectSettingsSchema)
		.mutation(async ({ ctx, input }) =>
			publicProject(await updateProjectSettings({ db: ctx.db, project: ctx.project, input }))
		),

	delete: projectProcedure('admin')
		.input(z.object({ confirmName: z.string().max(100) }))
		.mutation(async ({ ctx, input }) => {
			await deleteProject({ db: ctx.db, project: ctx.project, confirmName: input.confirmName });
			return { ok: true as const };
		})
});
