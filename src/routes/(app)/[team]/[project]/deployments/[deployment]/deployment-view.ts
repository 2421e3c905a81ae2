/** What the deployment page shows, computed from the row: pure, so it is unit-tested. */

export type Timed = {
	state: string;
	createdAt: Date | string;
	buildStartedAt: Date | string | null;
	startStartedAt: Date | string | null;
	readyAt: Date | string | null;
	finishedAt: Date | string | null;
	failureStage?: string | null;
};

export type Step = {
	key: 'queued' | 'building' | 'starting' | 'ready';
	label: string;
	status: 'done' | 'current' | 'failed' | 'pending';
	/** How long it took (or has taken so far); null when it never ran. */
	ms: number | null;
};

const t = (d: Date | string | null | undefined) => (d ? new Date(d).getTime() : null);

/** queued → building → starting → ready, each with its duration; a failure ends the stage it hit. */
export function timeline(d: Timed, now: number): Step[] {
	const starts = [t(d.createdAt), t(d.buildStartedAt), t(d.startStartedAt), t(d.readyAt)];
	const end = t(d.finishedAt);
	const running = ['queued', 'building', 'starting'].includes(d.state);
	const keys = ['queued', 'building', 'starting', 'ready'] as const;
	const labels = { queued: 'Queued', building: 'Building', starting: 'Starting', ready: 'Ready' };
	const reached = starts.findLastIndex((s) => s !== null);
	return keys.map((key, i) => {
		const start = starts[i];
		if (key === 'ready') {
			return { key, label: labels[key], status: start ? 'done' : 'pending', ms: null };
		}
		if (start === null || i > reached)
			return { key, label: labels[key], status: 'pending', ms: null };
		const next = starts[i + 1];
		if (next !== null) return { key, label: labels[key], status: 'done', ms: next - start };
		if (running) return { key, label: labels[key], status: 'current', ms: now - start };
		// It ended here without reaching the next stage: failed, canceled or skipped.
		return {
			key,
			label: labels[key],
			status: d.state === 'failed' ? 'failed' : 'done',
			ms: end !== null ? end - start : null
		};
	});
}

/** Total time from the request to ready or to the end. */
export function totalMs(d: Timed, now: number): number | null {
	const start = t(d.createdAt)!;
	const end = t(d.readyAt) ?? t(d.finishedAt);
	if (end !== null) return end - start;
	return ['queued', 'building', 'starting'].includes(d.state) ? now - start : null;
}

const advice: Record<string, string> = {
	fetch:
		'Check the repository URL, the branch and, for a private repository, the deploy key in Settings; then redeploy.',
	build:
		'Find the first error in the build log below. Fix it and push, or change the install or build command in Settings.',
	start:
		'The container did not stay up. Check the start command and the runtime log below; the app must keep running and listen on $PORT.',
	probe:
		'The health check never passed. Make the app answer 2xx or 3xx on $PORT at the health check path, or change the port or path in Settings.',
	finalize:
		'The new version could not be routed. Check that Caddy is running (see the platform lines below), then redeploy.'
};

/** What to do about a failure at `stage`. */
export function failureAdvice(stage: string | null | undefined): string {
	return (
		(stage && advice[stage]) ?? 'Read the log below for the cause, then redeploy once it is fixed.'
	);
}

export type AliasInfo = {
	kind: string;
	key: string;
	label: string;
	url: string;
	deploymentId: string | null;
};
export type ActionState = { enabled: boolean; reason: string };
export type Actionable = {
	id: string;
	state: string;
	image: string | null;
	imageRemovedAt: Date | string | null;
	/** Where it goes live: the alias kind and key of its configuration snapshot. */
	target: { kind: string; key: string };
};

/** How people name an alias: "production", "staging", "branch feature/x", "pull request #4". */
export function aliasName(a: { kind: string; key: string }): string {
	if (a.kind === 'production') return 'production';
	if (a.kind === 'environment') return a.key;
	if (a.kind === 'pull_request') return `pull request #${a.key}`;
	return `branch ${a.key}`;
}

const ok: ActionState = { enabled: true, reason: '' };
const no = (reason: string): ActionState => ({ enabled: false, reason });

/** Which actions apply right now, and why not when they do not. */
export function availableActions(d: Actionable, aliases: AliasInfo[]) {
	const running = ['queued', 'building', 'starting'].includes(d.state);
	const imageGone = !d.image || !!d.imageRemovedAt;
	const home = aliases.find((a) => a.kind === d.target.kind && a.key === d.target.key);
	let rollback = ok;
	if (d.state !== 'ready')
		rollback = no('Only a deployment that became ready can be rolled back to.');
	else if (imageGone)
		rollback = no('Its image was removed by retention; redeploy its commit instead.');
	else if (!home) rollback = no('It never went live, so there is nothing to roll back.');
	else if (home.deploymentId === d.id) rollback = no(`It is already serving ${aliasName(home)}.`);
	let promote = ok;
	if (d.state !== 'ready') promote = no('Only a deployment that became ready can be promoted.');
	else if (d.target.kind === 'production') promote = no('It is already a production deployment.');
	else if (imageGone)
		promote = no('Its image was removed by retention; redeploy its commit instead.');
	return {
		cancel: running
			? ok
			: no(`It already ended (${d.state}); only a deployment in progress can be canceled.`),
		redeploy: ok,
		rollback,
		promote
	};
}
