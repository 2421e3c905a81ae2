import { TRPCError } from '@trpc/server';
import { pageCaller } from '../../../caller';
import { readFilters, searchInput } from './search-params';
import type { PageServerLoad } from './$types';

/** Search runs on the server from the URL's filters; the page is a plain GET form. */
export const load: PageServerLoad = async (event) => {
	const { project } = await event.parent();
	const api = pageCaller(event);
	const scope = { teamSlug: event.params.team, projectSlug: event.params.project };
	const filters = readFilters(event.url.searchParams);
	const deployments = await api.deployments.list({ ...scope, limit: 50 });
	let results = null;
	let problem: string | null = null;
	try {
		results = await api.logs.search({ ...scope, ...searchInput(filters, Date.now()) });
	} catch (e) {
		// A search too broad to finish in time: say so beside the form.
		if (!(e instanceof TRPCError) || e.code !== 'BAD_REQUEST') throw e;
		problem = e.message;
	}
	return {
		filters,
		results,
		problem,
		environments: project.environments.map((e) => ({ id: e.id, name: e.name })),
		deployments: deployments.map((d) => ({ id: d.id, branch: d.branch, state: d.state }))
	};
};
