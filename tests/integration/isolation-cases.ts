import type { Foreign, IsolationCases } from '../helpers/isolation.ts';

const inProject = (f: Foreign) => ({ teamSlug: f.teamSlug, projectSlug: f.ids.project });
const inDeployment = (f: Foreign) => ({ teamSlug: f.teamSlug, deploymentId: f.ids.deployment });

/**
 * One case per team-scoped procedure: the call an outsider would make against team B.
 * New procedures must be added here (assertEveryProcedureCovered fails otherwise).
 */
export const cases: IsolationCases = {
	scoped: {
		'teams.get': (c, f) => c.teams.get({ teamSlug: f.teamSlug }),
		'teams.rename': (c, f) => c.teams.rename({ teamSlug: f.teamSlug, name: 'Pwned' }),
		'teams.tokens.list': (c, f) => c.teams.tokens.list({ teamSlug: f.teamSlug }),
		'teams.tokens.create': (c, f) => c.teams.tokens.create({ teamSlug: f.teamSlug, name: 'x' }),
		'teams.tokens.revoke': (c, f) =>
			c.teams.tokens.revoke({ teamSlug: f.teamSlug, tokenId: f.ids.token }),

		'projects.list': (c, f) => c.projects.list({ teamSlug: f.teamSlug }),
		'projects.get': (c, f) => c.projects.get(inProject(f)),
		'projects.detect': (c, f) => c.projects.detect({ teamSlug: f.teamSlug, repoUrl: f.ids.repo }),
		'projects.create': (c, f) =>
			c.projects.create({ teamSlug: f.teamSlug, name: 'Pwned', repoUrl: f.ids.repo }),
		'projects.update': (c, f) =>
			c.projects.update({ ...inProject(f), productionBranch: 'pwned', port: 6666 }),
		'projects.delete': (c, f) =>
			c.projects.delete({ ...inProject(f), confirmName: f.ids.projectName }),

		'environments.create': (c, f) =>
			c.environments.create({ ...inProject(f), name: 'Pwned', branchPattern: 'pwned/*' }),
		'environments.update': (c, f) =>
			c.environments.update({ ...inProject(f), id: f.ids.environment, branchPattern: 'pwned/*' }),
		'environments.delete': (c, f) =>
			c.environments.delete({ ...inProject(f), id: f.ids.environment }),

		'envVars.list': (c, f) => c.envVars.list(inProject(f)),
		'envVars.set': (c, f) =>
			c.envVars.set({
				...inProject(f),
				environmentId: f.ids.environment,
				key: 'PWNED',
				value: '1'
			}),
		'envVars.delete': (c, f) => c.envVars.delete({ ...inProject(f), id: f.ids.envVar }),
		'envVars.previewImport': (c, f) =>
			c.envVars.previewImport({
				...inProject(f),
				environmentId: f.ids.environment,
				text: 'DATABASE_URL=x'
			}),
		'envVars.import': (c, f) =>
			c.envVars.import({ ...inProject(f), environmentId: f.ids.environment, text: 'PWNED=1' }),

		'deployHooks.create': (c, f) => c.deployHooks.create({ ...inProject(f), name: 'Pwned' }),
		'deployHooks.rotate': (c, f) => c.deployHooks.rotate({ ...inProject(f), id: f.ids.hook }),
		'deployHooks.delete': (c, f) => c.deployHooks.delete({ ...inProject(f), id: f.ids.hook }),

		'deployments.list': (c, f) => c.deployments.list(inProject(f)),
		'deployments.get': (c, f) => c.deployments.get(inDeployment(f)),
		'deployments.logs': (c, f) => c.deployments.logs(inDeployment(f)),
		// Paging back through a long log on the deployment page.
		'deployments.logsBefore': (c, f) =>
			c.deployments.logsBefore({ ...inDeployment(f), beforeId: 1_000_000 }),
		'deployments.create': (c, f) => c.deployments.create({ ...inProject(f), branch: 'main' }),
		'deployments.redeploy': (c, f) => c.deployments.redeploy(inDeployment(f)),
		'deployments.cancel': (c, f) => c.deployments.cancel(inDeployment(f)),
		'deployments.follow': (c, f) => c.deployments.follow(inDeployment(f)),
		'projects.follow': (c, f) => c.projects.follow(inProject(f)),
		'teams.follow': (c, f) => c.teams.follow({ teamSlug: f.teamSlug }),
		'deployments.rollback': (c, f) => c.deployments.rollback(inDeployment(f)),
		'deployments.promote': (c, f) => c.deployments.promote(inDeployment(f)),
		'projects.aliases': (c, f) => c.projects.aliases(inProject(f)),
		'projects.resumeProductionAutoDeploy': (c, f) =>
			c.projects.resumeProductionAutoDeploy(inProject(f)),
		'logs.search': (c, f) =>
			c.logs.search({ ...inProject(f), text: 'secret', deploymentId: f.ids.deployment }),

		// --- GitHub installations, picker, import, reconnect (B's installation is linked to B only)
		'github.installations': (c, f) => c.github.installations({ teamSlug: f.teamSlug }),
		'github.repositories': (c, f) =>
			c.github.repositories({ teamSlug: f.teamSlug, installationId: Number(f.ids.installation) }),
		'github.detectRepository': (c, f) =>
			c.github.detectRepository({
				teamSlug: f.teamSlug,
				installationId: Number(f.ids.installation),
				repoId: 1
			}),
		'github.importRepository': (c, f) =>
			c.github.importRepository({
				teamSlug: f.teamSlug,
				name: 'Pwned',
				installationId: Number(f.ids.installation),
				repoId: 1
			}),
		'github.projectRepo': (c, f) => c.github.projectRepo(inProject(f)),
		'github.reconnect': (c, f) => c.github.reconnect(inProject(f)),

		// --- Fork pull requests (issue 6): B's project has one waiting, see beforeAll.
		'pullRequests.list': (c, f) => c.pullRequests.list(inProject(f)),
		'pullRequests.approve': (c, f) =>
			c.pullRequests.approve({ ...inProject(f), number: 7, headSha: f.ids.forkSha })
	},
	unscoped: [
		'account.me',
		'account.update',
		'account.changePassword',
		'account.sessions',
		'account.revokeSession',
		'account.revokeOtherSessions',
		'teams.list',
		'teams.create'
	]
};

/** Procedures that take only a team: with the caller's own team slug they rightly succeed. */
export const teamOnly = new Set([
	'teams.get',
	'teams.rename',
	'teams.tokens.list',
	'teams.tokens.create',
	'teams.tokens.revoke',
	'projects.list',
	'projects.detect',
	'projects.create',
	'teams.follow',
	'github.installations'
]);
/** Procedures whose input carries an id of a row inside the project or team. */
export const carriesRowId = [
	'environments.update',
	'environments.delete',
	'envVars.set',
	'envVars.delete',
	'envVars.previewImport',
	'envVars.import',
	'deployHooks.rotate',
	'deployHooks.delete',
	'deployments.get',
	'deployments.logs',
	'deployments.logsBefore',
	'deployments.redeploy',
	'deployments.cancel',
	'deployments.rollback',
	'deployments.promote',
	'deployments.follow',
	'pullRequests.approve'
];
