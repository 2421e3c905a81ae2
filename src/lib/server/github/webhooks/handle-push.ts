import { and, eq, gte, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { deployments } from '../../db/schema/index.ts';
import { createDeployment, type DeployContext } from '../../deployments/create.ts';
import { removePreview } from '../../deployments/remove-preview.ts';
import { AppError } from '../../errors.ts';
import { logger } from '../../log.ts';
import { queuePreviewRemoved } from '../report/enqueue.ts';
import type { ProxyConfig } from '../../proxy/sync.ts';
import { disconnectedSkip, projectsOfRepository, type LinkedProject } from './linked-projects.ts';
import type { PushPayload } from './payloads.ts';

export type WebhookDeps = DeployContext & { cfg: ProxyConfig };

const SKIP_MARKER = /\[skip deploy\]/i;
const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * push: a branch push deploys that branch in every project on the repository (its environment,
 * or a preview); a deleted branch takes its preview down. Tags and other refs are ignored.
 */
export async function handlePush(deps: WebhookDeps, payload: PushPayload, receivedAt: Date) {
	if (!payload.ref.startsWith('refs/heads/')) return { deployed: 0 };
	const branch = payload.ref.slice('refs/heads/'.length);
	const linked = await projectsOfRepository(deps.db, payload.repository.id);
	let deployed = 0;
	for (const link of linked) {
		if (payload.deleted) {
			await removePreview({
				db: deps.db,
				cfg: deps.cfg,
				projectId: link.project.id,
				target: { kind: 'branch', branch },
				reason: `The branch ${branch} was deleted on GitHub.`
			});
			await queuePreviewRemoved(deps.db, {
				projectId: link.project.id,
				target: { kind: 'branch', branch }
			});
			continue;
		}
		if (await deployPush(deps, link, payload, branch, receivedAt)) deployed++;
	}
	return { deployed };
}

async function deployPush(
	deps: WebhookDeps,
	link: LinkedProject,
	payload: PushPayload,
	branch: string,
	receivedAt: Date
) {
	const { project } = link;
	if (!project.autoDeploy || !FULL_SHA.test(payload.after)) return false;
	// A retried job must not deploy the same push twice.
	if (
		await alreadyRecorded(deps.db, {
			projectId: project.id,
			branch,
			sha: payload.after,
			pullRequest: null,
			since: receivedAt
		})
	) {
		return false;
	}
	const message = payload.head_commit?.message ?? null;
	const skipReason = link.disconnectedAt
		? disconnectedSkip(link.disconnectedReason)
		: message && SKIP_MARKER.test(message)
			? 'Not deployed: the commit message asks to skip it with [skip deploy].'
			: undefined;
	try {
		await createDeployment(deps, {
			projectId: project.id,
			branch,
			commitSha: payload.after,
			commitMessage: message?.slice(0, 4000) ?? null,
			trigger: 'push',
			skipReason
		});
		return true;
	} catch (error) {
		// A branch that matches no environment while previews are off is not deployed: by design.
		if (error instanceof AppError && error.code === 'INVALID') {
			logger().info({ project: project.id, branch, reason: error.message }, 'push not deployed');
			return false;
		}
		throw error;
	}
}

/**
 * True when this project already has a deployment of `sha` (for that pull request, or a push)
 * made since the delivery arrived: the job handling it ran before and is being retried.
 */
export async function alreadyRecorded(
	db: Db,
	args: { projectId: string; branch: string; sha: string; pullRequest: number | null; since: Date }
) {
	const [row] = await db
		.select({ id: deployments.id })
		.from(deployments)
		.where(
			and(
				eq(deployments.projectId, args.projectId),
				eq(deployments.branch, args.branch),
				eq(deployments.commitSha, args.sha),
				args.pullRequest === null
					? and(eq(deployments.trigger, 'push'), isNull(deployments.pullRequest))
					: eq(deployments.pullRequest, args.pullRequest),
				gte(deployments.createdAt, args.since)
			)
		)
		.limit(1);
	return Boolean(row);
}
