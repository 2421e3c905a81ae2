import { and, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
	aliases,
	deployments,
	githubPrComments,
	projectGithubRepos,
	projects,
	teams
} from '../../db/schema/index.ts';
import { labelUrl } from '../../deployments/urls.ts';
import { loadGithubApp } from '../app.ts';
import { installationClient } from '../client.ts';
import { PR_COMMENT_MARKER, renderPrComment, type PrCommentRow } from './comment-body.ts';
import { githubCall, logPlatformLine, ReportRefused } from './failures.ts';
import { deploymentPageUrl } from './load.ts';
import type { ReportDeps } from './report-deployment.ts';

type Octokit = ReturnType<typeof installationClient>;

/**
 * Writes the one sticky comment of a pull request: edited in place on every update, made only
 * when there is none (the stored id, else a search for its marker among the App's comments).
 * A comment deleted on GitHub is made again.
 */
export async function updatePrComment(
	deps: ReportDeps,
	pr: { repoId: number; number: number }
): Promise<'created' | 'edited' | 'nothing' | 'refused'> {
	const { db } = deps;
	const links = await db
		.select({
			projectId: projectGithubRepos.projectId,
			installationId: projectGithubRepos.installationId,
			fullName: projectGithubRepos.fullName
		})
		.from(projectGithubRepos)
		.where(
			and(eq(projectGithubRepos.repoId, pr.repoId), isNull(projectGithubRepos.disconnectedAt))
		);
	if (links.length === 0) return 'nothing';
	const latest = await latestPerProject(deps, {
		projectIds: links.map((l) => l.projectId),
		number: pr.number
	});
	if (latest.length === 0) return 'nothing';
	const app = await loadGithubApp(db, deps.keyring);
	if (!app) return 'nothing';
	const { fullName, installationId } = links[0];
	const [owner, repo] = fullName.split('/');
	const octokit = installationClient(app, installationId);
	const body = renderPrComment(latest.map((l) => l.row));
	const where = { owner, repo, fullName, number: pr.number };
	try {
		const [stored] = await db
			.select({ commentId: githubPrComments.commentId })
			.from(githubPrComments)
			.where(and(eq(githubPrComments.repoId, pr.repoId), eq(githubPrComments.number, pr.number)));
		const known = stored?.commentId ?? (await findOwnComment(octokit, where, `${app.slug}[bot]`));
		if (known !== null && (await editComment(octokit, where, known, body))) {
			if (!stored) await storeComment(db, pr, known);
			return 'edited';
		}
		const created = await githubCall('comment on the pull request', fullName, () =>
			octokit.rest.issues.createComment({ owner, repo, issue_number: pr.number, body })
		);
		await storeComment(db, pr, created.data.id);
		return 'created';
	} catch (error) {
		if (!(error instanceof ReportRefused)) throw error;
		// Said on the newest deployment of the pull request: the one its author is looking at.
		const newest = latest.reduce((a, b) => (a.createdAt > b.createdAt ? a : b));
		await logPlatformLine(db, newest.id, error.line);
		return 'refused';
	}
}

/** The newest deployment of each project for this pull request, as a row of the comment. */
async function latestPerProject(deps: ReportDeps, args: { projectIds: string[]; number: number }) {
	const rows = await deps.db
		.selectDistinctOn([deployments.projectId], {
			id: deployments.id,
			projectId: deployments.projectId,
			state: deployments.state,
			failureStage: deployments.failureStage,
			createdAt: deployments.createdAt,
			updatedAt: deployments.updatedAt,
			projectName: projects.name,
			projectSlug: projects.slug,
			teamSlug: teams.slug
		})
		.from(deployments)
		.innerJoin(projects, eq(projects.id, deployments.projectId))
		.innerJoin(teams, eq(teams.id, projects.teamId))
		.where(
			and(inArray(deployments.projectId, args.projectIds), eq(deployments.pullRequest, args.number))
		)
		.orderBy(deployments.projectId, desc(deployments.createdAt));
	if (rows.length === 0) return [];
	// The preview address serves whichever deployment of the pull request went live last.
	const live = await deps.db
		.select({ projectId: aliases.projectId, label: aliases.label })
		.from(aliases)
		.where(
			and(
				inArray(
					aliases.projectId,
					rows.map((r) => r.projectId)
				),
				eq(aliases.kind, 'pull_request'),
				eq(aliases.key, String(args.number)),
				isNotNull(aliases.deploymentId)
			)
		);
	return rows.map((r) => {
		const alias = live.find((a) => a.projectId === r.projectId);
		const row: PrCommentRow = {
			projectName: r.projectName,
			state: r.state,
			failureStage: r.failureStage,
			previewUrl: alias ? labelUrl(deps.cfg, alias.label) : null,
			// Live without an address: finalize sets both at once, so only a removal parts them.
			removed: r.state === 'ready' && !alias,
			deploymentUrl: deploymentPageUrl(deps.cfg, {
				teamSlug: r.teamSlug,
				projectSlug: r.projectSlug,
				deploymentId: r.id
			}),
			updatedAt: r.updatedAt
		};
		return { id: r.id, createdAt: r.createdAt, row };
	});
}

type Where = { owner: string; repo: string; fullName: string; number: number };

/** Slipway's comment among the pull request's comments: the marker, written by the App itself. */
async function findOwnComment(octokit: Octokit, w: Where, botLogin: string) {
	const comments = await githubCall('read the pull request comments', w.fullName, () =>
		octokit.paginate(octokit.rest.issues.listComments, {
			owner: w.owner,
			repo: w.repo,
			issue_number: w.number,
			per_page: 100
		})
	);
	const own = comments.find(
		(c) => c.body?.includes(PR_COMMENT_MARKER) && c.user?.login === botLogin
	);
	return own?.id ?? null;
}

/** False when the comment is gone (deleted on GitHub): the caller makes a new one. */
async function editComment(octokit: Octokit, w: Where, commentId: number, body: string) {
	try {
		await octokit.rest.issues.updateComment({
			owner: w.owner,
			repo: w.repo,
			comment_id: commentId,
			body
		});
		return true;
	} catch (error) {
		if ((error as { status?: number }).status === 404) return false;
		return githubCall('edit the pull request comment', w.fullName, () => Promise.reject(error));
	}
}

async function storeComment(db: Db, pr: { repoId: number; number: number }, commentId: number) {
	const values = { repoId: pr.repoId, number: pr.number, commentId, updatedAt: new Date() };
	await db
		.insert(githubPrComments)
		.values(values)
		.onConflictDoUpdate({
			target: [githubPrComments.repoId, githubPrComments.number],
			set: { commentId, updatedAt: values.updatedAt }
		});
}
