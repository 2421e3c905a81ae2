import { and, eq, isNotNull, isNull, ne } from 'drizzle-orm';
import { deployments, githubDeploymentReports, projectGithubRepos } from '../../db/schema/index.ts';
import type { ConfigSnapshot } from '../../deployments/snapshot.ts';
import type { AliasTarget } from '../../proxy/hostnames.ts';
import { loadGithubApp } from '../app.ts';
import { installationClient } from '../client.ts';
import { targetOf } from './describe.ts';
import { githubCall, ReportRefused } from './failures.ts';
import { aliasUrlOf, deploymentPageUrl, loadReportSubject } from './load.ts';
import type { ReportDeps } from './report-deployment.ts';

const sameTarget = (a: AliasTarget, b: AliasTarget) => JSON.stringify(a) === JSON.stringify(b);

/**
 * GitHub marks older Deployments inactive by itself only for non-production, non-transient
 * environments; production and previews would all stay "active" on the pull request and the
 * repository's environments page. This marks them `inactive` once they no longer serve: every
 * earlier one of the same alias when a newer one went live (`except` = the new one), or all of
 * them when their preview was removed. Returns how many were marked.
 */
export async function deactivateGithubDeployments(
	deps: ReportDeps,
	args: { projectId: string; target: AliasTarget; except?: string; description: string }
): Promise<number> {
	const { db } = deps;
	const [link] = await db
		.select()
		.from(projectGithubRepos)
		.where(
			and(
				eq(projectGithubRepos.projectId, args.projectId),
				isNull(projectGithubRepos.disconnectedAt)
			)
		);
	if (!link) return 0;
	const candidates = await db
		.select({
			id: deployments.id,
			pullRequest: deployments.pullRequest,
			sourceDeploymentId: deployments.sourceDeploymentId,
			configSnapshot: deployments.configSnapshot,
			githubDeploymentId: githubDeploymentReports.githubDeploymentId
		})
		.from(githubDeploymentReports)
		.innerJoin(deployments, eq(deployments.id, githubDeploymentReports.deploymentId))
		.where(
			and(
				eq(deployments.projectId, args.projectId),
				eq(githubDeploymentReports.reportedState, 'ready'),
				isNotNull(githubDeploymentReports.githubDeploymentId),
				isNull(githubDeploymentReports.inactiveReportedAt),
				args.except ? ne(deployments.id, args.except) : undefined
			)
		);
	const stale = candidates.filter((c) =>
		sameTarget(
			targetOf({
				pullRequest: c.pullRequest,
				sourceDeploymentId: c.sourceDeploymentId,
				snapshotAlias: (c.configSnapshot as ConfigSnapshot).alias
			}),
			args.target
		)
	);
	if (stale.length === 0) return 0;
	const app = await loadGithubApp(db, deps.keyring);
	if (!app) return 0;
	const octokit = installationClient(app, link.installationId);
	const [owner, repo] = link.fullName.split('/');
	for (const d of stale) {
		try {
			await githubCall('mark a deployment inactive', link.fullName, () =>
				octokit.rest.repos.createDeploymentStatus({
					owner,
					repo,
					deployment_id: d.githubDeploymentId!,
					state: 'inactive',
					description: args.description
				})
			);
		} catch (error) {
			// Deleted on GitHub meanwhile: nothing left to mark.
			if (!(error instanceof ReportRefused)) throw error;
		}
		await db
			.update(githubDeploymentReports)
			.set({ inactiveReportedAt: new Date(), updatedAt: new Date() })
			.where(eq(githubDeploymentReports.deploymentId, d.id));
	}
	return stale.length;
}

/**
 * After a rollback the alias serves an earlier deployment again (no new deployment, so no report
 * of its own): its GitHub Deployment gets a fresh `success` with the environment URL, and the one
 * it replaces turns inactive.
 */
export async function reportRollback(deps: ReportDeps, args: { deploymentId: string }) {
	const s = await loadReportSubject(deps.db, args.deploymentId);
	const githubId = s?.report?.githubDeploymentId;
	if (!s || !githubId) return 'not_reported';
	const app = await loadGithubApp(deps.db, deps.keyring);
	if (!app) return 'not_reported';
	const octokit = installationClient(app, s.link.installationId);
	const environmentUrl = await aliasUrlOf(deps.db, deps.cfg, {
		projectId: s.project.id,
		projectSlug: s.project.slug,
		target: s.target
	});
	try {
		await githubCall('update the deployment status', s.link.fullName, () =>
			octokit.rest.repos.createDeploymentStatus({
				owner: s.owner,
				repo: s.repo,
				deployment_id: githubId,
				state: 'success',
				description: 'Serving again after a rollback',
				log_url: deploymentPageUrl(deps.cfg, {
					teamSlug: s.teamSlug,
					projectSlug: s.project.slug,
					deploymentId: s.deployment.id
				}),
				environment_url: environmentUrl
			})
		);
	} catch (error) {
		if (!(error instanceof ReportRefused)) throw error;
		return 'refused';
	}
	await deps.db
		.update(githubDeploymentReports)
		.set({ inactiveReportedAt: null, updatedAt: new Date() })
		.where(eq(githubDeploymentReports.deploymentId, s.deployment.id));
	await deactivateGithubDeployments(deps, {
		projectId: s.project.id,
		target: s.target,
		except: s.deployment.id,
		description: 'Rolled back to an earlier deployment'
	});
	return 'reported';
}
