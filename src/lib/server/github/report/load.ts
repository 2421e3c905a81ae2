import { and, eq } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import {
	aliases,
	deployments,
	environments,
	githubDeploymentReports,
	projectGithubRepos,
	projects,
	teams
} from '../../db/schema/index.ts';
import type { ConfigSnapshot } from '../../deployments/snapshot.ts';
import { aliasUrl, labelUrl, publicUrl } from '../../deployments/urls.ts';
import { aliasKey, type AliasTarget } from '../../proxy/hostnames.ts';
import { targetOf } from './describe.ts';

export type ReportConfig = Pick<
	Config,
	| 'ORIGIN'
	| 'APP_HOSTNAME'
	| 'SLIPWAY_DEPLOY_DOMAIN'
	| 'SLIPWAY_PROXY_MODE'
	| 'SLIPWAY_PROXY_PORT'
	| 'SLIPWAY_PROXY_HTTPS_PORT'
>;

/** The dashboard's public address, as the not-found page and links in GitHub use it. */
export function dashboardOrigin(cfg: ReportConfig): string {
	return (cfg.ORIGIN ?? publicUrl(cfg, cfg.APP_HOSTNAME)).replace(/\/+$/, '');
}

export function deploymentPageUrl(
	cfg: ReportConfig,
	d: { teamSlug: string; projectSlug: string; deploymentId: string }
) {
	return `${dashboardOrigin(cfg)}/${d.teamSlug}/${d.projectSlug}/deployments/${d.deploymentId}`;
}

/** The hostname an alias really has (its stored label can carry a collision suffix). */
export async function aliasUrlOf(
	db: Db,
	cfg: ReportConfig,
	args: { projectId: string; projectSlug: string; target: AliasTarget }
) {
	const { kind, key } = aliasKey(args.target);
	const [row] = await db
		.select({ label: aliases.label })
		.from(aliases)
		.where(
			and(eq(aliases.projectId, args.projectId), eq(aliases.kind, kind), eq(aliases.key, key))
		);
	return row ? labelUrl(cfg, row.label) : aliasUrl(cfg, args.projectSlug, args.target);
}

export type ReportSubject = NonNullable<Awaited<ReturnType<typeof loadReportSubject>>>;

/**
 * A deployment with what reporting it needs: its project, team, repository link and what was
 * already reported. Null when there is nothing to report to (no GitHub repository, or it was
 * disconnected: renamed, transferred, deleted or uninstalled).
 */
export async function loadReportSubject(db: Db, deploymentId: string) {
	const [row] = await db
		.select({
			deployment: {
				id: deployments.id,
				projectId: deployments.projectId,
				state: deployments.state,
				branch: deployments.branch,
				pullRequest: deployments.pullRequest,
				commitSha: deployments.commitSha,
				failureStage: deployments.failureStage,
				failureReason: deployments.failureReason,
				sourceDeploymentId: deployments.sourceDeploymentId,
				configSnapshot: deployments.configSnapshot,
				updatedAt: deployments.updatedAt
			},
			project: { id: projects.id, slug: projects.slug, name: projects.name },
			teamSlug: teams.slug,
			environmentName: environments.name,
			link: {
				installationId: projectGithubRepos.installationId,
				repoId: projectGithubRepos.repoId,
				fullName: projectGithubRepos.fullName,
				disconnectedAt: projectGithubRepos.disconnectedAt
			},
			report: {
				githubDeploymentId: githubDeploymentReports.githubDeploymentId,
				reportedState: githubDeploymentReports.reportedState
			}
		})
		.from(deployments)
		.innerJoin(projects, eq(projects.id, deployments.projectId))
		.innerJoin(teams, eq(teams.id, projects.teamId))
		.innerJoin(projectGithubRepos, eq(projectGithubRepos.projectId, projects.id))
		.leftJoin(environments, eq(environments.id, deployments.environmentId))
		.leftJoin(githubDeploymentReports, eq(githubDeploymentReports.deploymentId, deployments.id))
		.where(eq(deployments.id, deploymentId));
	if (!row || row.link.disconnectedAt) return null;
	const snapshot = row.deployment.configSnapshot as ConfigSnapshot;
	const [owner, repo] = row.link.fullName.split('/');
	return {
		...row,
		owner,
		repo,
		target: targetOf({
			pullRequest: row.deployment.pullRequest,
			sourceDeploymentId: row.deployment.sourceDeploymentId,
			snapshotAlias: snapshot.alias
		})
	};
}
