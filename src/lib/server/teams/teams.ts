import { and, asc, eq, sql } from 'drizzle-orm';
import { findFreeSlug } from '../db/free-slug.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { Db, Tx } from '../db/client.ts';
import { teamMembers, teams } from '../db/schema/index.ts';
import type { TeamRole } from './roles.ts';
import { slugify } from './slug.ts';

/**
 * Creates a team with `userId` as its owner, atomically. Two requests racing for one slug:
 * the loser retries with the next free slug instead of failing.
 */
export async function createTeam(args: {
	db: Db | Tx;
	userId: string;
	name: string;
	personal?: boolean;
}): Promise<typeof teams.$inferSelect> {
	for (let attempt = 0; ; attempt++) {
		const slug = await findFreeSlug({
			db: args.db,
			table: teams,
			column: teams.slug,
			base: slugify(args.name)
		});
		try {
			return await args.db.transaction(async (tx) => {
				const [team] = await tx
					.insert(teams)
					.values({ slug, name: args.name, personalOwnerId: args.personal ? args.userId : null })
					.returning();
				await tx
					.insert(teamMembers)
					.values({ teamId: team.id, userId: args.userId, role: 'owner' });
				return team;
			});
		} catch (error) {
			if (attempt < 3 && isUniqueViolation(error)) continue;
			throw error;
		}
	}
}

export async function listTeamsForUser(args: { db: Db; userId: string; onlyTeamId?: string }) {
	return args.db
		.select({
			id: teams.id,
			slug: teams.slug,
			name: teams.name,
			personal: sql<boolean>`coalesce(${teams.personalOwnerId} = ${args.userId}, false)`,
			role: teamMembers.role
		})
		.from(teamMembers)
		.innerJoin(teams, eq(teams.id, teamMembers.teamId))
		.where(
			args.onlyTeamId
				? and(eq(teamMembers.userId, args.userId), eq(teams.id, args.onlyTeamId))
				: eq(teamMembers.userId, args.userId)
		)
		.orderBy(asc(teams.name));
}

export async function renameTeam(args: { db: Db; teamId: string; name: string }) {
	const [team] = await args.db
		.update(teams)
		.set({ name: args.name })
		.where(eq(teams.id, args.teamId))
		.returning();
	return team;
}

export type TeamSummary = Awaited<ReturnType<typeof listTeamsForUser>>[number];
export type { TeamRole };
