import { z } from 'zod';
import { streamKeys } from '../../events/bus.ts';
import { feed } from '../live.ts';
import { teamNameSchema } from '../../../schemas/account.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../auth/api-tokens.ts';
import { createTeam, listTeamsForUser, renameTeam } from '../../teams/teams.ts';
import { authedProcedure, router, sessionProcedure, teamProcedure } from '../init.ts';

export const teamsRouter = router({
	list: authedProcedure.query(({ ctx }) =>
		listTeamsForUser({ db: ctx.db, userId: ctx.user.id, onlyTeamId: ctx.tokenTeamId ?? undefined })
	),

	get: teamProcedure('viewer').query(({ ctx }) => ({
		id: ctx.team.id,
		slug: ctx.team.slug,
		name: ctx.team.name,
		role: ctx.role
	})),

	/** Deployments of every project of the team created or changed, live (the dashboard). */
	follow: teamProcedure('viewer')
		.input(z.object({ lastEventId: z.string().max(100).nullish() }))
		.subscription(({ ctx, input, signal }) =>
			feed(ctx, streamKeys.team(ctx.team.id), input.lastEventId, signal)
		),

	create: sessionProcedure
		.input(teamNameSchema)
		.mutation(({ ctx, input }) =>
			createTeam({ db: ctx.db, userId: ctx.user.id, name: input.name })
		),

	rename: teamProcedure('admin')
		.input(teamNameSchema)
		.mutation(({ ctx, input }) =>
			renameTeam({ db: ctx.db, teamId: ctx.team.id, name: input.name })
		),

	/** Personal access tokens: a session mints them; a token cannot mint another. */
	tokens: router({
		list: teamProcedure('viewer', sessionProcedure).query(({ ctx }) =>
			listApiTokens({ db: ctx.db, userId: ctx.user.id, teamId: ctx.team.id })
		),

		create: teamProcedure('viewer', sessionProcedure)
			.input(
				z.object({
					name: z.string().trim().min(1, 'Name the token.').max(60),
					expiresInDays: z.number().int().min(1).max(365).optional()
				})
			)
			.mutation(({ ctx, input }) =>
				createApiToken({ db: ctx.db, userId: ctx.user.id, teamId: ctx.team.id, ...input })
			),

		revoke: teamProcedure('viewer', sessionProcedure)
			.input(z.object({ tokenId: z.uuid() }))
			.mutation(async ({ ctx, input }) => {
				await revokeApiToken({
					db: ctx.db,
					userId: ctx.user.id,
					teamId: ctx.team.id,
					tokenId: input.tokenId
				});
				return { ok: true as const };
			})
	})
});
