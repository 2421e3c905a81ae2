import { createCallerFactory, router } from './init.ts';
import { accountRouter } from './routers/account.ts';
import { teamsRouter } from './routers/teams.ts';

export const appRouter = router({
	account: accountRouter,
	teams: teamsRouter
});

/** Import this type (only the type) to get a typed client in scripts and the CLI. */
export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
