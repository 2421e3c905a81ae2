/**
 * The deployment states, in order: the `deployment_state` enum (db/schema/deployments.ts) is made
 * from this list, and the browser (components) shares it, since it cannot import server modules.
 * A new state needs a migration (`npm run db:generate`).
 */
export const DEPLOYMENT_STATES = [
	'queued',
	'building',
	'starting',
	'ready',
	'failed',
	'canceled',
	'skipped'
] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];
