import { base } from '$app/paths';

const seg = encodeURIComponent;

/**
 * URLs of the project pages in one place. Plain strings rather than `resolve()` route ids: the
 * deployment page and the log explorer live in other folders and may not exist in every build.
 */
export const paths = {
	team: (team: string) => `${base}/${seg(team)}`,
	newProject: (team: string) => `${base}/${seg(team)}/new`,
	project: (team: string, project: string) => `${base}/${seg(team)}/${seg(project)}`,
	deployments: (team: string, project: string) =>
		`${base}/${seg(team)}/${seg(project)}/deployments`,
	deployment: (team: string, project: string, id: string) =>
		`${base}/${seg(team)}/${seg(project)}/deployments/${seg(id)}`,
	logs: (team: string, project: string) => `${base}/${seg(team)}/${seg(project)}/logs`,
	settings: (team: string, project: string) => `${base}/${seg(team)}/${seg(project)}/settings`
};
