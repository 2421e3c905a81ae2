import { pageCaller } from '../../caller';
import type { PageServerLoad } from './$types';

// The last 50 give the five newest for the list and the branches people deploy, for the picker.
export const load: PageServerLoad = async (event) => {
	const recent = await pageCaller(event).deployments.list({
		teamSlug: event.params.team,
		projectSlug: event.params.project,
		limit: 50
	});
	return {
		latest: recent.slice(0, 5),
		branches: [...new Set(recent.map((d) => d.branch))]
	};
};
