/**
 * Same values, same order as the `deployment_state` enum in db/schema/deployments.ts. Shared by
 * the server (state-machine.ts) and the browser (components), which cannot import server modules.
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
