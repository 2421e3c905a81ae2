import { z } from 'zod';
import { changePasswordSchema, profileSchema } from '../../../schemas/account.ts';
import { changePassword, updateProfile } from '../../auth/accounts.ts';
import { invalidateUserSessions, listUserSessions, revokeUserSession } from '../../auth/session.ts';
import { notFound } from '../../errors.ts';
import { authedProcedure, router, sessionProcedure } from '../init.ts';

export const accountRouter = router({
	me: authedProcedure.query(({ ctx }) => ctx.user),

	update: sessionProcedure
		.input(profileSchema)
		.mutation(({ ctx, input }) => updateProfile({ db: ctx.db, userId: ctx.user.id, ...input })),

	changePassword: sessionProcedure.input(changePasswordSchema).mutation(async ({ ctx, input }) => {
		await changePassword({
			db: ctx.db,
			userId: ctx.user.id,
			keepSessionId: ctx.sessionId,
			...input
		});
		return { ok: true as const };
	}),

	sessions: sessionProcedure.query(async ({ ctx }) => {
		const rows = await listUserSessions({ db: ctx.db, userId: ctx.user.id });
		return rows.map((s) => ({ ...s, current: s.id === ctx.sessionId }));
	}),

	revokeSession: sessionProcedure
		.input(z.object({ sessionId: z.string().regex(/^[0-9a-f]{64}$/) }))
		.mutation(async ({ ctx, input }) => {
			const revoked = await revokeUserSession({
				db: ctx.db,
				userId: ctx.user.id,
				sessionId: input.sessionId
			});
			if (!revoked) throw notFound('Session');
			return { ok: true as const };
		}),

	/** Log out everywhere else; the current session stays. */
	revokeOtherSessions: sessionProcedure.mutation(async ({ ctx }) => {
		const count = await invalidateUserSessions({
			db: ctx.db,
			userId: ctx.user.id,
			exceptSessionId: ctx.sessionId
		});
		return { revoked: count };
	})
});
