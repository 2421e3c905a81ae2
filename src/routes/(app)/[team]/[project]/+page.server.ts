import { pageCaller } from '../../caller';
import type { PageServerLoad } from './$types';

// The last 50 give the five newest for the list and the branches people deploy, for the picker.
export const load: PageServerLoad = async (event) => {
	const scope = { teamSlug: event.params.team, projectSlug: event.params.project };
	const caller = pageCaller(event);
	const [recent, forkPullRequests] = await Promise.all([
		caller.deployments.list({ ...scope, limit: 50 }),
		caller.pullRequests.list(scope)
	]);
	return {
		latest: recent.slice(0, 5),
		branches: [...new Set(recent.map((d) => d.branch))],
		forkPullRequests
	};
};
