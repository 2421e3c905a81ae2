import type { DeploymentState } from '../../deployments/state-machine.ts';
import type { AliasTarget } from '../../proxy/hostnames.ts';

/** GitHub cuts status and deployment-status descriptions at 140 characters. */
export const MAX_DESCRIPTION = 140;

export function shorten(text: string, max = MAX_DESCRIPTION): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

export type StateFacts = {
	state: DeploymentState;
	failureStage: string | null;
	failureReason: string | null;
};

export type CommitStatusState = 'pending' | 'success' | 'failure' | 'error';

/**
 * The commit status of a deployment. `skipped` is success: nobody's code failed (the commit said
 * `[skip deploy]`, a newer push replaced it, or production is paused after a rollback), and a
 * required check must not block the merge for it. `canceled` is error: the commit was not shown
 * to deploy, so a required check should not pass, but it is not the code's failure either.
 */
export function commitStatusOf(d: StateFacts): { state: CommitStatusState; description: string } {
	switch (d.state) {
		case 'queued':
			return { state: 'pending', description: 'Queued' };
		case 'building':
			return { state: 'pending', description: 'Building' };
		case 'starting':
			return { state: 'pending', description: 'Starting and checking health' };
		case 'ready':
			return { state: 'success', description: 'Ready' };
		case 'failed':
			return {
				state: 'failure',
				description: shorten(
					`Failed${d.failureStage ? ` at ${d.failureStage}` : ''}: ${d.failureReason ?? 'see the deployment log'}`
				)
			};
		case 'canceled':
			return { state: 'error', description: 'Canceled' };
		case 'skipped':
			return {
				state: 'success',
				description: shorten(`Skipped: ${d.failureReason ?? 'not deployed'}`)
			};
	}
}

export type DeploymentStatusState = 'queued' | 'in_progress' | 'success' | 'failure' | 'inactive';

/**
 * GitHub Deployment status. A deployment that never ran (canceled, skipped) ends `inactive`
 * rather than red: on GitHub, `error`/`failure` read as "this code failed to deploy".
 */
export function deploymentStatusOf(d: StateFacts): {
	state: DeploymentStatusState;
	description: string;
} {
	const status = commitStatusOf(d);
	switch (d.state) {
		case 'queued':
			return { state: 'queued', description: status.description };
		case 'building':
		case 'starting':
			return { state: 'in_progress', description: status.description };
		case 'ready':
			return { state: 'success', description: status.description };
		case 'failed':
			return { state: 'failure', description: status.description };
		case 'canceled':
		case 'skipped':
			return { state: 'inactive', description: status.description };
	}
}

/** A GitHub Deployment is made for what was (or is being) deployed, not for what never ran. */
export function wantsGithubDeployment(state: DeploymentState): boolean {
	return state !== 'canceled' && state !== 'skipped';
}

/** Where a deployment goes live: its pull request, production for a promote, else its snapshot. */
export function targetOf(d: {
	pullRequest: number | null;
	sourceDeploymentId: string | null;
	snapshotAlias: AliasTarget;
}): AliasTarget {
	if (d.pullRequest !== null) return { kind: 'pull_request', number: d.pullRequest };
	if (d.sourceDeploymentId) return { kind: 'production' };
	return d.snapshotAlias;
}

/**
 * The GitHub environment name. Several projects can deploy one repository, and GitHub keys
 * environments by name per repository, so the project's slug is part of every name.
 */
export function githubEnvironmentName(args: {
	projectSlug: string;
	target: AliasTarget;
	environmentName: string | null;
}): string {
	const { projectSlug: p, target: t } = args;
	switch (t.kind) {
		case 'production':
			return `Production – ${p}`;
		case 'environment':
			return `${args.environmentName ?? t.environmentSlug} – ${p}`;
		case 'branch':
			return `Preview – ${p} – ${t.branch}`;
		case 'pull_request':
			return `Preview – ${p} – PR #${t.number}`;
	}
}

/** The commit status context: one per project, so projects sharing a repository do not collide. */
export const statusContext = (projectSlug: string) => `slipway/${projectSlug}`;

/** How the pull-request comment names a state. */
export const STATE_LABELS: Record<DeploymentState, string> = {
	queued: '⏳ Queued',
	building: '🔨 Building',
	starting: '🚀 Starting',
	ready: '✅ Ready',
	failed: '❌ Failed',
	canceled: '⛔ Canceled',
	skipped: '⏭️ Skipped'
};
