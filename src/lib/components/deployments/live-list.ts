import type { DeploymentSummary } from '../../server/events/bus.ts';

/** What a deployment row shows; both the list query and a live event provide it. */
export type DeploymentRowData = {
	id: string;
	environmentId: string | null;
	branch: string;
	commitSha: string | null;
	commitMessage: string | null;
	trigger: string;
	state: string;
	failureReason: string | null;
	createdAt: Date;
	readyAt: Date | null;
	finishedAt: Date | null;
};

const date = (value: string | null) => (value ? new Date(value) : null);

export function rowFromSummary(s: DeploymentSummary): DeploymentRowData {
	return {
		id: s.id,
		environmentId: s.environmentId,
		branch: s.branch,
		commitSha: s.commitSha,
		commitMessage: s.commitMessage,
		trigger: s.trigger,
		state: s.state,
		failureReason: s.failureReason,
		createdAt: new Date(s.createdAt),
		readyAt: date(s.readyAt),
		finishedAt: date(s.finishedAt)
	};
}

export type ListFilter = { states?: string[]; branch?: string };

export function matchesFilter(row: Pick<DeploymentRowData, 'state' | 'branch'>, f: ListFilter) {
	return (
		(!f.states?.length || f.states.includes(row.state)) && (!f.branch || row.branch === f.branch)
	);
}

/**
 * A list (newest first) with one live change applied: a known deployment is updated in place
 * (and dropped when it no longer matches the filter); a new one that matches goes in by its
 * creation time. `limit` keeps a short list (the overview's five) short.
 */
export function applyDeploymentChange<T extends DeploymentRowData>(
	list: T[],
	change: DeploymentRowData,
	options: { filter?: ListFilter; limit?: number } = {}
): (T | DeploymentRowData)[] {
	const matches = matchesFilter(change, options.filter ?? {});
	const index = list.findIndex((d) => d.id === change.id);
	if (index >= 0) {
		if (!matches) return list.filter((d) => d.id !== change.id);
		return list.map((d, i) => (i === index ? { ...d, ...change } : d));
	}
	if (!matches) return list;
	const at = list.findIndex((d) => d.createdAt.getTime() < change.createdAt.getTime());
	// Older than everything shown: it belongs to a page not loaded yet.
	if (at < 0 && options.limit !== undefined && list.length >= options.limit) return list;
	const next = at < 0 ? [...list, change] : [...list.slice(0, at), change, ...list.slice(at)];
	return options.limit === undefined ? next : next.slice(0, options.limit);
}
