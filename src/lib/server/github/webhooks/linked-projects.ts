import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { projectGithubRepos, projects } from '../../db/schema/index.ts';

/** Every project deploying this GitHub repository (by id: names change, ids do not). */
export function projectsOfRepository(db: Db, repoId: number) {
	return db
		.select({
			project: projects,
			disconnectedAt: projectGithubRepos.disconnectedAt,
			disconnectedReason: projectGithubRepos.disconnectedReason
		})
		.from(projectGithubRepos)
		.innerJoin(projects, eq(projects.id, projectGithubRepos.projectId))
		.where(eq(projectGithubRepos.repoId, repoId));
}

export type LinkedProject = Awaited<ReturnType<typeof projectsOfRepository>>[number];

/** The skipped deployment a disconnected project records instead of deploying. */
export const disconnectedSkip = (reason: string | null) =>
	`Not deployed: this project is disconnected from its GitHub repository. ${reason ?? ''}`.trim();
