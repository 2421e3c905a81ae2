import { pageCaller } from '../caller';
import type { PageServerLoad } from './$types';

/** Every project of the team with its last deployment and the URL production answers on. */
export const load: PageServerLoad = async (event) => {
	const caller = pageCaller(event);
	const teamSlug = event.params.team;
	const projects = await caller.projects.list({ teamSlug });
	const urls = await Promise.all(
		projects.map(async (p) => {
			const aliases = await caller.projects.aliases({ teamSlug, projectSlug: p.slug });
			const production = aliases.find((a) => a.kind === 'production' && a.deploymentId);
			return production?.url ?? null;
		})
	);
	return {
		now: Date.now(),
		projects: projects.map((p, i) => ({
			id: p.id,
			slug: p.slug,
			name: p.name,
			repoUrl: p.repoUrl,
			productionBranch: p.productionBranch,
			productionUrl: urls[i],
			latestDeployment: p.latestDeployment
		}))
	};
};
