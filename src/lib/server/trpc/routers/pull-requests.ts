import { z } from 'zod';
import { approveForkPullRequest, listForkPullRequests } from '../../github/fork-approvals.ts';
import { projectProcedure, router } from '../init.ts';

/** Pull requests from forks: they deploy only once a team member approved their head commit. */
export const pullRequestsRouter = router({
	list: projectProcedure('viewer').query(({ ctx }) => listForkPullRequests(ctx.db, ctx.project.id)),

	approve: projectProcedure('member')
		.input(
			z.object({
				number: z.number().int().positive(),
				headSha: z.string().regex(/^[0-9a-f]{40}$/, 'A commit is a full 40-character SHA.')
			})
		)
		.mutation(({ ctx, input }) =>
			approveForkPullRequest(
				{ db: ctx.db, keyring: ctx.keyring },
				{ projectId: ctx.project.id, ...input, actorId: ctx.user.id }
			)
		)
});
