import { and, eq, inArray } from 'drizzle-orm';
import { aliases, projects, teamMembers, teams } from '$lib/server/db/schema';
import { getRuntime } from '$lib/server/runtime';
import { requireUser } from '../require-user';
import { deployLabel, labelBelongsTo } from './match-host';
import type { PageServerLoad } from './$types';

/**
 * Where "Find it in Slipway" on an unknown app host lands (with the session, which app hosts
 * never see). Names the projects that hostname would belong to, but only among the teams the
 * visitor is a member of: projects of other teams are never revealed, not even that they exist.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const { user } = requireUser(locals, url);
	const { db, config } = getRuntime();
	const host = (url.searchParams.get('host') ?? '').trim().toLowerCase().slice(0, 253);
	const label = host ? deployLabel(host, config.SLIPWAY_DEPLOY_DOMAIN) : null;
	if (!label) return { host, matches: [] };

	const mine = await db
		.select({
			id: projects.id,
			slug: projects.slug,
			name: projects.name,
			teamSlug: teams.slug,
			teamName: teams.name
		})
		.from(projects)
		.innerJoin(teams, eq(teams.id, projects.teamId))
		.innerJoin(teamMembers, and(eq(teamMembers.teamId, teams.id), eq(teamMembers.userId, user.id)));
	// Long or colliding labels are shortened with a hash, so an alias stored under exactly this
	// label names its project even when the slug is not a prefix any more.
	const aliased = mine.length
		? await db
				.select({ projectId: aliases.projectId })
				.from(aliases)
				.where(
					and(
						eq(aliases.label, label),
						inArray(
							aliases.projectId,
							mine.map((p) => p.id)
						)
					)
				)
		: [];
	const aliasedIds = new Set(aliased.map((a) => a.projectId));
	const matches = mine
		.filter((p) => aliasedIds.has(p.id) || labelBelongsTo(label, p.slug))
		// the longest slug first: `shop-api-pr-3` is shop-api's before it could be anyone else's
		.sort((a, b) => b.slug.length - a.slug.length)
		.map((p) => ({
			project: p.name,
			team: p.teamName,
			// Project pages arrive with issue 5; until then the team's dashboard lists its projects.
			href: `/${p.teamSlug}`
		}));
	return { host, matches };
};
