import { z } from 'zod';
import { searchProjectLogs, SEARCH_MAX_LIMIT } from '../../logs/search.ts';
import { projectProcedure, router } from '../init.ts';

export const logsRouter = router({
	/**
	 * Log lines of a project, newest first: text (case-insensitive, anywhere in the line) and
	 * filters by deployment, environment (`preview` for branch previews), stream and time range.
	 * Pass `nextBefore` of a page as `before` for the next, older page.
	 */
	search: projectProcedure('viewer')
		.input(
			z.object({
				text: z.string().trim().max(200).optional(),
				deploymentId: z.uuid().optional(),
				environmentId: z.union([z.uuid(), z.literal('preview')]).optional(),
				streams: z
					.array(z.enum(['build', 'stdout', 'stderr', 'platform']))
					.max(4)
					.optional(),
				from: z.date().optional(),
				to: z.date().optional(),
				before: z.number().int().positive().optional(),
				limit: z.number().int().min(1).max(SEARCH_MAX_LIMIT).optional()
			})
		)
		.query(({ ctx, input }) =>
			searchProjectLogs({ db: ctx.db, projectId: ctx.project.id, ...input })
		)
});
