export { DEPLOYMENT_STATES, type DeploymentState } from '$lib/deployments/states';

export const stateLabels: Record<string, string> = {
	queued: 'Queued',
	building: 'Building',
	starting: 'Starting',
	ready: 'Ready',
	failed: 'Failed',
	canceled: 'Canceled',
	skipped: 'Skipped'
};

export const triggerLabels: Record<string, string> = {
	push: 'Push',
	pull_request: 'Pull request',
	manual: 'Manual',
	redeploy: 'Redeploy',
	deploy_hook: 'Deploy hook',
	api: 'API',
	cli: 'CLI',
	promote: 'Promote',
	rollback: 'Rollback'
};

export function isInProgress(state: string): boolean {
	return state === 'queued' || state === 'building' || state === 'starting';
}

type Timed = {
	state: string;
	createdAt: Date | string;
	readyAt?: Date | string | null;
	finishedAt?: Date | string | null;
};

/**
 * How long a deployment took from its request to ready or to its end; while it runs, up to
 * `now`. Null for one that never ran (skipped, or canceled while queued without an end time).
 */
export function deploymentDurationMs(d: Timed, now: number): number | null {
	const start = new Date(d.createdAt).getTime();
	const end = d.readyAt ?? d.finishedAt;
	if (end) return new Date(end).getTime() - start;
	if (isInProgress(d.state)) return now - start;
	return null;
}

export function shortSha(sha: string | null | undefined): string {
	return sha ? sha.slice(0, 7) : '';
}

/** The first line of a commit message: lists have room for one. */
export function commitTitle(message: string | null | undefined): string {
	return message?.split('\n', 1)[0].trim() ?? '';
}
