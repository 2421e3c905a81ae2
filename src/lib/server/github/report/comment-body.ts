import type { DeploymentState } from '../../deployments/state-machine.ts';
import { STATE_LABELS } from './describe.ts';

/** Finds Slipway's own comment again when its stored id is lost. */
export const PR_COMMENT_MARKER = '<!-- slipway:pr-comment -->';

export type PrCommentRow = {
	projectName: string;
	state: DeploymentState;
	failureStage: string | null;
	/** The pull request's preview address, once one of its deployments went live. */
	previewUrl: string | null;
	/** The preview was taken down (the pull request was closed). */
	removed?: boolean;
	deploymentUrl: string;
	updatedAt: Date;
};

/** Text from users (project names) must not break the table or inject markup. */
function cell(text: string): string {
	return text.replace(/\s+/g, ' ').replace(/[\\|`*_[\]<>]/g, '\\$&');
}

function utc(at: Date): string {
	return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The sticky comment: one row per project of the repository with a preview for this pull request. */
export function renderPrComment(rows: PrCommentRow[]): string {
	const sorted = [...rows].sort((a, b) => a.projectName.localeCompare(b.projectName));
	const lines = [
		PR_COMMENT_MARKER,
		'**Slipway** previews of this pull request',
		'',
		'| Project | State | Preview | Deployment | Updated |',
		'| :-- | :-- | :-- | :-- | :-- |',
		...sorted.map((r) => {
			const state = r.removed
				? '🗑️ Preview removed'
				: r.state === 'failed' && r.failureStage
					? `${STATE_LABELS.failed} at ${r.failureStage}`
					: STATE_LABELS[r.state];
			const preview = r.previewUrl ? `[${new URL(r.previewUrl).host}](${r.previewUrl})` : '—';
			return `| ${cell(r.projectName)} | ${state} | ${preview} | [Inspect](${r.deploymentUrl}) | ${utc(r.updatedAt)} |`;
		}),
		''
	];
	return lines.join('\n');
}
