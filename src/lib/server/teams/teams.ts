import { and, asc, eq, like, or, sql } from 'drizzle-orm';
import { isUniqueViolation } from '../db/errors.ts';
import type { Db, Tx } from '../db/client.ts';
import { teamMembers, teams } from '../db/schema/index.ts';
import type { TeamRole } from './roles.ts';
import { availableSlug, slugify } from './slug.ts';

async function freeSlug(db: Db | Tx, name: string): Promise<string> {
	const base = slugify(name);
	const rows = await db
		.select({ slug: teams.slug })
		.from(teams)
		.where(or(eq(teams.slug, base), like(teams.slug, `${base}-%`)));
	const taken = new Set(rows.map((r) => r.slug));
	return availableSlug(base, (s) => taken.has(s));
}

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
		const slug = await freeSlug(args.db, args.name);
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
