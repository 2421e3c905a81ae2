import { z } from 'zod';
import {
	createEnvironment,
	deleteEnvironment,
	updateEnvironment
} from '../../environments/store.ts';
import { projectProcedure, router } from '../init.ts';

const pattern = z
	.string()
	.trim()
	.min(1, 'Enter a branch or pattern, such as main or release/*.')
	.max(255);

export const environmentsRouter = router({
	create: projectProcedure('admin')
		.input(
			z.object({
				name: z.string().trim().min(1, 'Name the environment.').max(40),
				branchPattern: pattern
			})
		)
		.mutation(({ ctx, input }) =>
			createEnvironment({ db: ctx.db, projectId: ctx.project.id, ...input })
		),

	update: projectProcedure('admin')
		.input(z.object({ id: z.uuid(), branchPattern: pattern }))
		.mutation(({ ctx, input }) =>
			updateEnvironment({ db: ctx.db, projectId: ctx.project.id, ...input })
		),

	delete: projectProcedure('admin')
		.input(z.object({ id: z.uuid() }))
		.mutation(async ({ ctx, input }) => {
			await deleteEnvironment({ db: ctx.db, projectId: ctx.project.id, id: input.id });
			return { ok: true as const };
		})
});
