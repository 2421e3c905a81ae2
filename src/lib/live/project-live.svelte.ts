import { trpc } from '../trpc/browser.ts';
import { DeploymentFeed, type DeploymentSummary } from './deployment-feed.svelte.ts';

/** projects.follow for one project page; stop it when the page goes (an `$effect` cleanup). */
export function followProject(
	teamSlug: string,
	projectSlug: string,
	handlers: { onDeployment: (d: DeploymentSummary) => void; onResync: () => void }
): DeploymentFeed {
	return new DeploymentFeed(
		(h) => trpc().projects.follow.subscribe({ teamSlug, projectSlug, lastEventId: null }, h),
		handlers
	);
}
