import { pageCaller } from '../../../caller';
import { PAGE_SIZE, parseFilter } from './filter';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const filter = parseFilter(event.url.searchParams);
	const deployments = await pageCaller(event).deployments.list({
		teamSlug: event.params.team,
		projectSlug: event.params.project,
		states: filter.state ? [filter.state] : undefined,
		branch: filter.branch,
		limit: PAGE_SIZE
	});
	return { filter, deployments, hasMore: deployments.length === PAGE_SIZE };
};
