import { orNotFound, pageCaller } from '../../caller';
import type { LayoutServerLoad } from './$types';

/** The project and its hostnames, for the header and every tab; a project of another team 404s. */
export const load: LayoutServerLoad = async (event) => {
	await event.parent();
	const caller = pageCaller(event);
	const input = { teamSlug: event.params.team, projectSlug: event.params.project };
	const [project, aliases, github] = await orNotFound(
		Promise.all([
			caller.projects.get(input),
			caller.projects.aliases(input),
			caller.github.projectRepo(input)
		]),
		'Project'
	);
	return { project, aliases, github, now: Date.now() };
};
