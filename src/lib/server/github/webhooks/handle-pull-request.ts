import { createDeployment } from '../../deployments/create.ts';
import { removePreview } from '../../deployments/remove-preview.ts';
import {
	deployForkPullRequest,
	forgetForkPullRequest,
	recordForkPullRequest
} from '../fork-approvals.ts';
import { queuePreviewRemoved } from '../report/enqueue.ts';
import { alreadyRecorded, type WebhookDeps } from './handle-push.ts';
import { disconnectedSkip, projectsOfRepository, type LinkedProject } from './linked-projects.ts';
import type { PullRequestPayload } from './payloads.ts';

const DEPLOYING_ACTIONS = ['opened', 'synchronize', 'reopened'];
const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * pull_request opened / synchronize / reopened → a preview at `<project>-pr-<n>`; closed (merged
 * or not) → the preview goes. A pull request from a fork never deploys by itself: it waits for a
 * team member's approval (fork-approvals.ts), and then runs without the project's secrets.
 */
export async function handlePullRequest(
	deps: WebhookDeps,
	payload: PullRequestPayload,
	receivedAt: Date
) {
	const linked = await projectsOfRepository(deps.db, payload.repository.id);
	const results: string[] = [];
	for (const link of linked) {
		if (payload.action === 'closed') {
			await removePreview({
				db: deps.db,
				cfg: deps.cfg,
				projectId: link.project.id,
				target: { kind: 'pull_request', number: payload.number },
				reason: `Pull request #${payload.number} was closed.`
			});
			await queuePreviewRemoved(deps.db, {
				projectId: link.project.id,
				target: { kind: 'pull_request', number: payload.number }
			});
			await forgetForkPullRequest(deps.db, link.project.id, payload.number);
			results.push('removed');
		} else if (DEPLOYING_ACTIONS.includes(payload.action)) {
			results.push(await previewPullRequest(deps, link, payload, receivedAt));
		}
	}
	return { results };
}

function isFromFork(payload: PullRequestPayload) {
	const { head, base } = payload.pull_request;
	return head.repo === null || head.repo.id !== base.repo.id;
}

async function previewPullRequest(
	deps: WebhookDeps,
	link: LinkedProject,
	payload: PullRequestPayload,
	receivedAt: Date
): Promise<string> {
	const { project } = link;
	const { head } = payload.pull_request;
	// Previews off, or automatic deploys off altogether: a pull request deploys nothing.
	if (!project.previewsEnabled || !project.autoDeploy || !FULL_SHA.test(head.sha)) return 'off';
	const pr = { number: payload.number, headRef: head.ref, headSha: head.sha };
	// A retried job must not deploy the same commit of the pull request twice.
	const retried = await alreadyRecorded(deps.db, {
		projectId: project.id,
		branch: pr.headRef,
		sha: pr.headSha,
		pullRequest: pr.number,
		since: receivedAt
	});
	if (retried) return 'already deployed';
	if (link.disconnectedAt) {
		await createDeployment(deps, {
			projectId: project.id,
			pullRequest: pr.number,
			branch: pr.headRef,
			commitSha: pr.headSha,
			trigger: 'pull_request',
			skipReason: disconnectedSkip(link.disconnectedReason)
		});
		return 'disconnected';
	}
	if (isFromFork(payload)) {
		const { approved } = await recordForkPullRequest(deps.db, {
			projectId: project.id,
			...pr,
			headRepoFullName: head.repo?.full_name ?? head.label ?? '(deleted fork)',
			headCloneUrl: head.repo?.clone_url ?? '',
			title: payload.pull_request.title.slice(0, 300),
			authorLogin: payload.pull_request.user?.login ?? null
		});
		if (!approved) return 'awaiting approval';
		// Reopened at a commit a member already approved.
		await deployForkPullRequest(deps, { projectId: project.id, pr, actorId: null });
		return 'deployed';
	}
	await createDeployment(deps, {
		projectId: project.id,
		pullRequest: pr.number,
		branch: pr.headRef,
		commitSha: pr.headSha,
		trigger: 'pull_request'
	});
	return 'deployed';
}
