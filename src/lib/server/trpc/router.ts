import { createCallerFactory, router } from './init.ts';
import { accountRouter } from './routers/account.ts';
import { teamsRouter } from './routers/teams.ts';
import { deployHooksRouter } from './routers/deploy-hooks.ts';
import { deploymentsRouter } from './routers/deployments.ts';
import { envVarsRouter } from './routers/env-vars.ts';
import { environmentsRouter } from './routers/environments.ts';
import { githubRouter } from './routers/github.ts';
import { logsRouter } from './routers/logs.ts';
import { projectsRouter } from './routers/projects.ts';
import { pullRequestsRouter } from './routers/pull-requests.ts';

export const appRouter = router({
	account: accountRouter,
	teams: teamsRouter,
	projects: projectsRouter,
	environments: environmentsRouter,
	envVars: envVarsRouter,
	deployHooks: deployHooksRouter,
	deployments: deploymentsRouter,
	pullRequests: pullRequestsRouter,
	logs: logsRouter,
	github: githubRouter
});

/** Import this type (only the type) to get a typed client in scripts and the CLI. */
export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
