import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { teamMembers, teams } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { hasRole, type TeamRole } from './roles.ts';

/** Who is asking: a signed-in user, possibly through an API token restricted to one team. */
export type Actor = { userId: string; tokenTeamId?: string | null };

export type TeamAccess = {
	team: typeof teams.$inferSelect;
	role: TeamRole;
};

/**
 * The one gate for everything team-scoped. A team the actor is not a member of (or that its token
 * is not scoped to) does not exist as far as they can tell: NOT_FOUND, never FORBIDDEN, so ids
 * and slugs of other teams leak nothing. A member whose role is too low gets FORBIDDEN.
 */
export async function authorizeTeam(args: {
	db: Db;
	actor: Actor;
	team: { slug: string } | { id: string };
	minRole: TeamRole;
}): Promise<TeamAccess> {
	const match = 'slug' in args.team ? eq(teams.slug, args.team.slug) : eq(teams.id, args.team.id);
	const [row] = await args.db
		.select({ team: teams, role: teamMembers.role })
		.from(teams)
		.innerJoin(
			teamMembers,
			and(eq(teamMembers.teamId, teams.id), eq(teamMembers.userId, args.actor.userId))
		)
		.where(match);
	if (!row || (args.actor.tokenTeamId && args.actor.tokenTeamId !== row.team.id)) {
		throw new AppError('NOT_FOUND', 'Team not found. Check the address or ask for an invitation.');
	}
	if (!hasRole(row.role, args.minRole)) {
		throw new AppError(
			'FORBIDDEN',
			`This needs the ${args.minRole} role in ${row.team.name}; you are ${row.role}. Ask a team admin.`
		);
	}
	return row;
}

/**
 * For resources that belong to a team (projects, deployments, ...): load the resource, then
 * authorize through its team. A resource of another team answers exactly like a missing one.
 */
export async function authorizeTeamResource<T extends { teamId: string }>(args: {
	db: Db;
	actor: Actor;
	minRole: TeamRole;
	what: string;
	load: () => Promise<T | undefined>;
}): Promise<T & { access: TeamAccess }> {
	const resource = await args.load();
	const missing = new AppError('NOT_FOUND', `${args.what} not found.`);
	if (!resource) throw missing;
	try {
		const access = await authorizeTeam({
			db: args.db,
			actor: args.actor,
			team: { id: resource.teamId },
			minRole: args.minRole
		});
		return { ...resource, access };
	} catch (error) {
		if (error instanceof AppError && error.code === 'NOT_FOUND') throw missing;
		throw error;
	}
}
