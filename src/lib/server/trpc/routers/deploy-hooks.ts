import { z } from 'zod';
import { createDeployHook, deleteDeployHook, rotateDeployHook } from '../../deployments/hooks.ts';
import { projectProcedure, router } from '../init.ts';

/** Hook URLs are secrets: shown once on create and rotate, stored only as a hash. */
export const deployHooksRouter = router({
	create: projectProcedure('admin')
		.input(
			z.object({
				name: z.string().trim().min(1, 'Name the hook.').max(60),
				branch: z.string().trim().max(255).nullable().default(null)
			})
		)
		.mutation(({ ctx, input }) =>
			createDeployHook({ db: ctx.db, projectId: ctx.project.id, ...input })
		),

	rotate: projectProcedure('admin')
		.input(z.object({ id: z.uuid() }))
		.mutation(({ ctx, input }) =>
			rotateDeployHook({ db: ctx.db, projectId: ctx.project.id, id: input.id })
		),

	delete: projectProcedure('admin')
		.input(z.object({ id: z.uuid() }))
		.mutation(async ({ ctx, input }) => {
			await deleteDeployHook({ db: ctx.db, projectId: ctx.project.id, id: input.id });
			return { ok: true as const };
		})
});
