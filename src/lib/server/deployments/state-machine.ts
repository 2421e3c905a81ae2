import { DEPLOYMENT_STATES, type DeploymentState } from '../../deployments/states.ts';
import { AppError } from '../errors.ts';

export { DEPLOYMENT_STATES, type DeploymentState };

/**
 * The pipeline only moves forward. `ready` is terminal here: stopping or retiring its container
 * later is a container concern and must not rewrite what the deployment achieved.
 */
const NEXT_STATES: Record<DeploymentState, readonly DeploymentState[]> = {
	queued: ['building', 'canceled', 'skipped', 'failed'],
	building: ['starting', 'failed', 'canceled'],
	starting: ['ready', 'failed', 'canceled'],
	ready: [],
	failed: [],
	canceled: [],
	skipped: []
};

/** Every non-terminal state: product.md promises cancel at any of them. */
export const cancelableStates: readonly DeploymentState[] = DEPLOYMENT_STATES.filter((state) =>
	NEXT_STATES[state].includes('canceled')
);

/** Steps a deployment can fail at, so the UI can say where it broke. */
export const FAILURE_STAGES = ['fetch', 'build', 'start', 'probe', 'finalize'] as const;
export type FailureStage = (typeof FAILURE_STAGES)[number];

/** `reason` is written for the user: what went wrong and, where possible, what to change. */
export type FailureReason = { stage: FailureStage; reason: string };

export function isDeploymentState(value: string): value is DeploymentState {
	return (DEPLOYMENT_STATES as readonly string[]).includes(value);
}

export function isFailureStage(value: string): value is FailureStage {
	return (FAILURE_STAGES as readonly string[]).includes(value);
}

export function isTerminal(state: DeploymentState): boolean {
	return NEXT_STATES[state].length === 0;
}

export function listNextStates(state: DeploymentState): readonly DeploymentState[] {
	return NEXT_STATES[state];
}

export function canTransition({ from, to }: { from: DeploymentState; to: DeploymentState }) {
	return NEXT_STATES[from].includes(to);
}

const verbs: Record<DeploymentState, string> = {
	queued: 'queued again',
	building: 'built',
	starting: 'started',
	ready: 'marked ready',
	failed: 'marked failed',
	canceled: 'canceled',
	skipped: 'skipped'
};

/**
 * Workers and actions race (a cancel against a finishing build, a task run twice), so a refused
 * transition is a CONFLICT the caller can show or ignore, never a crash.
 */
export function assertTransition({ from, to }: { from: DeploymentState; to: DeploymentState }) {
	if (canTransition({ from, to })) return;
	const base = `Deployment is already ${from}, so it cannot be ${verbs[to]}`;
	let message = `${base} now. Reload the page to see where it is.`;
	if (isTerminal(from)) {
		message = to === 'canceled' ? `${base}.` : `${base}. Redeploy to run it again.`;
	}
	throw new AppError('CONFLICT', message);
}
