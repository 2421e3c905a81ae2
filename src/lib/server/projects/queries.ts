import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { deployHooks, deployments, environments, projects } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';

export type Project = typeof projects.$inferSelect;

/** A project of this team by slug; any other team's project is simply not found. */
export async function getTeamProject(
	db: Db,
	teamId: string,
	projectSlug: string
): Promise<Project> {
	const [project] = await db
		.select()
		.from(projects)
		.where(and(eq(projects.teamId, teamId), eq(projects.slug, projectSlug)));
	if (!project) throw notFound('Project');
	return project;
}

/** What users see of a project: never the sealed deploy key. */
export function publicProject(project: Project) {
	const { deployKeySealed: _sealed, ...rest } = project;
	return rest;
}

export async function listTeamProjects(db: Db, teamId: string) {
	const latest = db
		.selectDistinctOn([deployments.projectId], {
			projectId: deployments.projectId,
			id: deployments.id,
			state: deployments.state,
			branch: deployments.branch,
			createdAt: deployments.createdAt
		})
		.from(deployments)
		.orderBy(deployments.projectId, desc(deployments.createdAt))
		.as('latest');
	const rows = await db
		.select({
			project: projects,
			latest: {
				id: latest.id,
				state: latest.state,
				branch: latest.branch,
				createdAt: latest.createdAt
			}
		})
		.from(projects)
		.leftJoin(latest, eq(latest.projectId, projects.id))
		.where(eq(projects.teamId, teamId))
		.orderBy(asc(projects.name));
	return rows.map((r) => ({
		...publicProject(r.project),
		latestDeployment: r.latest?.id ? r.latest : null
	}));
}

export async function getProjectDetails(db: Db, project: Project) {
	const [envs, hooks, counts] = await Promise.all([
		db
			.select()
			.from(environments)
			.where(eq(environments.projectId, project.id))
			.orderBy(asc(environments.position)),
		db
			.select({
				id: deployHooks.id,
				name: deployHooks.name,
				branch: deployHooks.branch,
				createdAt: deployHooks.createdAt
			})
			.from(deployHooks)
			.where(eq(deployHooks.projectId, project.id)),
		db
			.select({ n: sql<number>`count(*)::int` })
			.from(deployments)
			.where(eq(deployments.projectId, project.id))
	]);
	return {
		...publicProject(project),
		environments: envs,
		deployHooks: hooks,
		deploymentCount: counts[0].n
	};
}
