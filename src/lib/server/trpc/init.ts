import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import { getTeamDeployment } from '../deployments/actions.ts';
import { getTeamProject } from '../projects/queries.ts';
import { authorizeTeam } from '../teams/access.ts';
import type { TeamRole } from '../teams/roles.ts';
import { AppError, type AppErrorCode } from '../errors.ts';
import { logger } from '../log.ts';
import type { Context } from './context.ts';

const t = initTRPC.context<Context>().create({
	transformer: superjson,
	errorFormatter({ shape, error }) {
		const cause = error.cause;
		const field =
			cause instanceof AppError
				? cause.field
				: cause instanceof ZodError
					? cause.issues[0]?.path.join('.')
					: undefined;
		return { ...shape, data: { ...shape.data, field, stack: undefined } };
	}
});

const codes: Record<AppErrorCode, TRPCError['code']> = {
	NOT_FOUND: 'NOT_FOUND',
	FORBIDDEN: 'FORBIDDEN',
	UNAUTHORIZED: 'UNAUTHORIZED',
	CONFLICT: 'CONFLICT',
	INVALID: 'BAD_REQUEST',
	RATE_LIMITED: 'TOO_MANY_REQUESTS',
	UNAVAILABLE: 'SERVICE_UNAVAILABLE'
};

/** The one place where domain errors become tRPC errors; anything else is logged as a bug. */
const mapErrors = t.middleware(async ({ next, path }) => {
	const result = await next();
	if (!result.ok) {
		const cause = result.error.cause;
		if (cause instanceof ZodError) {
			const message = cause.issues
				.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
				.join('; ');
			throw new TRPCError({ code: 'BAD_REQUEST', message, cause });
		}
		if (cause instanceof AppError) {
			throw new TRPCError({ code: codes[cause.code], message: cause.message, cause });
		}
		if (result.error.code === 'INTERNAL_SERVER_ERROR') {
			logger().error({ err: result.error.cause ?? result.error, path }, 'procedure failed');
			throw new TRPCError({
				code: 'INTERNAL_SERVER_ERROR',
				message:
					'Something went wrong on our side. Try again; if it keeps failing, check the server logs.'
			});
		}
	}
	return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
	if (!ctx.user) {
		throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Log in, or send a valid API token.' });
	}
	return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Account-level actions need a browser session: an API token acts only inside its team. */
export const sessionProcedure = authedProcedure.use(({ ctx, next }) => {
	if (!ctx.sessionId) {
		throw new TRPCError({
			code: 'FORBIDDEN',
			message: 'API tokens cannot change account settings. Use the web UI.'
		});
	}
	return next({ ctx: { ...ctx, sessionId: ctx.sessionId } });
});

const teamSlug = z
	.string()
	.min(1)
	.max(64)
	.regex(/^[a-z0-9-]+$/, 'Team slugs use lowercase letters, digits and dashes.');

/**
 * A procedure scoped to one team: takes `teamSlug`, authorizes through `authorizeTeam` with
 * at least `minRole`, and hands the team to the resolver. Every team-scoped procedure uses this.
 */
export function teamProcedure(minRole: TeamRole, base = authedProcedure) {
	return base.input(z.object({ teamSlug })).use(async ({ ctx, input, next }) => {
		const access = await authorizeTeam({
			db: ctx.db,
			actor: { userId: ctx.user.id, tokenTeamId: ctx.tokenTeamId },
			team: { slug: input.teamSlug },
			minRole
		});
		return next({ ctx: { ...ctx, team: access.team, role: access.role } });
	});
}

const projectSlug = z
	.string()
	.min(1)
	.max(64)
	.regex(/^[a-z0-9-]+$/, 'Project slugs use lowercase letters, digits and dashes.');

/** Team-scoped, plus `projectSlug`: the project must belong to that team, or it is NOT_FOUND. */
export function projectProcedure(minRole: TeamRole) {
	return teamProcedure(minRole)
		.input(z.object({ projectSlug }))
		.use(async ({ ctx, input, next }) => {
			const project = await getTeamProject(ctx.db, ctx.team.id, input.projectSlug);
			return next({ ctx: { ...ctx, project } });
		});
}

/** Team-scoped, plus `deploymentId`: a deployment of one of the team's projects. */
export function deploymentProcedure(minRole: TeamRole) {
	return teamProcedure(minRole)
		.input(z.object({ deploymentId: z.uuid() }))
		.use(async ({ ctx, input, next }) => {
			const deployment = await getTeamDeployment(ctx.db, ctx.team.id, input.deploymentId);
			return next({ ctx: { ...ctx, deployment } });
		});
}
