import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { pullRequestApprovals, users } from '../db/schema/index.ts';
import { createDeployment, type DeployContext } from '../deployments/create.ts';
import { AppError, notFound } from '../errors.ts';

export type ForkPullRequest = {
	projectId: string;
	number: number;
	headSha: string;
	headRef: string;
	headRepoFullName: string;
	headCloneUrl: string;
	title: string;
	authorLogin: string | null;
};

/**
 * Records (or updates) a fork's pull request as waiting for a team member. A new head commit
 * clears an earlier approval: each commit of a fork is reviewed before it runs. Returns whether
 * the current head commit is already approved (a reopened pull request, a redelivery).
 */
export async function recordForkPullRequest(db: Db, pr: ForkPullRequest) {
	const [existing] = await db
		.select()
		.from(pullRequestApprovals)
		.where(
			and(
				eq(pullRequestApprovals.projectId, pr.projectId),
				eq(pullRequestApprovals.number, pr.number)
			)
		);
	const sameCommit = existing?.headSha === pr.headSha;
	const values = {
		...pr,
		approvedBy: sameCommit ? existing.approvedBy : null,
		approvedAt: sameCommit ? existing.approvedAt : null,
		updatedAt: new Date()
	};
	await db
		.insert(pullRequestApprovals)
		.values(values)
		.onConflictDoUpdate({
			target: [pullRequestApprovals.projectId, pullRequestApprovals.number],
			set: values
		});
	return { approved: Boolean(values.approvedAt) };
}

/** A closed pull request no longer waits for anyone. */
export async function forgetForkPullRequest(db: Db, projectId: string, number: number) {
	await db
		.delete(pullRequestApprovals)
		.where(
			and(eq(pullRequestApprovals.projectId, projectId), eq(pullRequestApprovals.number, number))
		);
}

/** Open fork pull requests of a project, the ones waiting for approval first. */
export async function listForkPullRequests(db: Db, projectId: string) {
	return db
		.select({
			number: pullRequestApprovals.number,
			title: pullRequestApprovals.title,
			authorLogin: pullRequestApprovals.authorLogin,
			headRepoFullName: pullRequestApprovals.headRepoFullName,
			headRef: pullRequestApprovals.headRef,
			headSha: pullRequestApprovals.headSha,
			approvedAt: pullRequestApprovals.approvedAt,
			approvedByName: users.name,
			updatedAt: pullRequestApprovals.updatedAt
		})
		.from(pullRequestApprovals)
		.leftJoin(users, eq(users.id, pullRequestApprovals.approvedBy))
		.where(eq(pullRequestApprovals.projectId, projectId))
		.orderBy(desc(isNull(pullRequestApprovals.approvedAt)), desc(pullRequestApprovals.updatedAt));
}

/**
 * Deploys a fork's pull request at exactly the commit the approver saw, as a preview without the
 * project's secret variables. The commit is fetched from the project's own repository (GitHub
 * serves pull request heads there, refs/pull/<n>/head), never from the fork.
 */
export function deployForkPullRequest(
	ctx: DeployContext,
	args: {
		projectId: string;
		pr: { number: number; headRef: string; headSha: string };
		actorId: string | null;
	}
) {
	return createDeployment(ctx, {
		projectId: args.projectId,
		pullRequest: args.pr.number,
		branch: args.pr.headRef,
		commitSha: args.pr.headSha,
		trigger: 'pull_request',
		withholdSecrets: true,
		actorId: args.actorId
	});
}

/**
 * A team member approves one commit of a fork's pull request. If the fork pushed again since the
 * page was loaded, the approval is refused: the new commit has to be looked at first.
 */
export async function approveForkPullRequest(
	ctx: DeployContext,
	args: { projectId: string; number: number; headSha: string; actorId: string }
) {
	const ofPr = and(
		eq(pullRequestApprovals.projectId, args.projectId),
		eq(pullRequestApprovals.number, args.number)
	);
	const [row] = await ctx.db
		.update(pullRequestApprovals)
		.set({ approvedBy: args.actorId, approvedAt: new Date(), updatedAt: new Date() })
		.where(and(ofPr, eq(pullRequestApprovals.headSha, args.headSha)))
		.returning();
	if (!row) {
		const [current] = await ctx.db
			.select({ headSha: pullRequestApprovals.headSha })
			.from(pullRequestApprovals)
			.where(ofPr);
		if (!current) throw notFound('Pull request');
		throw new AppError(
			'CONFLICT',
			`Pull request #${args.number} has a newer commit (${current.headSha.slice(0, 7)}) than the one you approved: review it, then approve again.`
		);
	}
	return deployForkPullRequest(ctx, {
		projectId: args.projectId,
		pr: row,
		actorId: args.actorId
	});
}
