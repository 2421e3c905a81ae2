import { z } from 'zod';
import { deleteEnvVar, listEnvVars, setEnvVar } from '../../env-vars/store.ts';
import { importDotenv, previewDotenvImport } from '../../env-vars/import.ts';
import { projectProcedure, router } from '../init.ts';

const scope = z.object({
	environmentId: z.uuid().nullable().default(null),
	branch: z.string().trim().min(1).max(255).nullable().default(null)
});

/** Changes apply to the next deployment; values of secrets never come back out. */
export const envVarsRouter = router({
	list: projectProcedure('viewer').query(({ ctx }) =>
		listEnvVars({ db: ctx.db, keyring: ctx.keyring, projectId: ctx.project.id })
	),

	set: projectProcedure('admin')
		.input(
			scope.extend({
				key: z.string().max(300),
				value: z.string().max(70_000),
				isSecret: z.boolean().default(false),
				isBuildTime: z.boolean().default(false)
			})
		)
		.mutation(({ ctx, input }) =>
			setEnvVar({
				db: ctx.db,
				keyring: ctx.keyring,
				projectId: ctx.project.id,
				scope: { environmentId: input.environmentId, branch: input.branch },
				key: input.key,
				value: input.value,
				isSecret: input.isSecret,
				isBuildTime: input.isBuildTime
			})
		),

	delete: projectProcedure('admin')
		.input(z.object({ id: z.uuid() }))
		.mutation(({ ctx, input }) =>
			deleteEnvVar({ db: ctx.db, projectId: ctx.project.id, id: input.id })
		),

	/** `.env` paste, step 1: what would be added and changed, and which lines are unusable. */
	previewImport: projectProcedure('admin')
		.input(scope.extend({ text: z.string().max(1_000_000) }))
		.mutation(({ ctx, input }) =>
			previewDotenvImport({ db: ctx.db, keyring: ctx.keyring, projectId: ctx.project.id, ...input })
		),

	/** `.env` paste, step 2: save every usable entry (nothing is saved if a line has an error). */
	import: projectProcedure('admin')
		.input(
			scope.extend({
				text: z.string().max(1_000_000),
				isSecret: z.boolean().default(false),
				isBuildTime: z.boolean().default(false)
			})
		)
		.mutation(({ ctx, input }) =>
			importDotenv({ db: ctx.db, keyring: ctx.keyring, projectId: ctx.project.id, ...input })
		)
});
