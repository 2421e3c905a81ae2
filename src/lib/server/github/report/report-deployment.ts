import type { Keyring } from '../../crypto/secret-box.ts';
import type { Db } from '../../db/client.ts';
import { githubDeploymentReports } from '../../db/schema/index.ts';
import { loadGithubApp } from '../app.ts';
import { installationClient } from '../client.ts';
import {
	commitStatusOf,
	deploymentStatusOf,
	githubEnvironmentName,
	shorten,
	statusContext,
	wantsGithubDeployment
} from './describe.ts';
import { queuePrComment } from './enqueue.ts';
import { deactivateGithubDeployments } from './inactive.ts';
import { githubCall, logPlatformLine, ReportRefused } from './failures.ts';
import {
	aliasUrlOf,
	deploymentPageUrl,
	loadReportSubject,
	type ReportConfig,
	type ReportSubject
} from './load.ts';

export type ReportDeps = { db: Db; cfg: ReportConfig; keyring: Keyring };

type Octokit = ReturnType<typeof installationClient>;

/**
 * Tells GitHub where a deployment is: a commit status on its commit and a GitHub Deployment with
 * a status, both linking to the deployment page. Reads the state when it runs, so a coalesced
 * burst of changes is one report; a state already reported is not sent again. A refusal that a
 * retry cannot fix (404, 422…) ends in a line in the deployment's log, not in retries.
 */
export async function reportDeployment(
	deps: ReportDeps,
	args: { deploymentId: string }
): Promise<'reported' | 'unchanged' | 'not_linked' | 'refused'> {
	const { db } = deps;
	const s = await loadReportSubject(db, args.deploymentId);
	if (!s || !s.deployment.commitSha) return 'not_linked';
	if (s.report?.reportedState === s.deployment.state) return 'unchanged';
	const app = await loadGithubApp(db, deps.keyring);
	if (!app) return 'not_linked';
	if (s.deployment.pullRequest !== null) {
		await queuePrComment(db, { repoId: s.link.repoId, number: s.deployment.pullRequest });
	}
	const octokit = installationClient(app, s.link.installationId);
	const pageUrl = deploymentPageUrl(deps.cfg, {
		teamSlug: s.teamSlug,
		projectSlug: s.project.slug,
		deploymentId: s.deployment.id
	});
	try {
		const status = commitStatusOf(s.deployment);
		await githubCall('set the commit status', s.link.fullName, () =>
			octokit.rest.repos.createCommitStatus({
				owner: s.owner,
				repo: s.repo,
				sha: s.deployment.commitSha!,
				state: status.state,
				description: status.description,
				target_url: pageUrl,
				context: statusContext(s.project.slug)
			})
		);
		await reportGithubDeployment(deps, octokit, s, pageUrl);
		if (s.deployment.state === 'ready') {
			await deactivateGithubDeployments(deps, {
				projectId: s.project.id,
				target: s.target,
				except: s.deployment.id,
				description: 'Replaced by a newer deployment'
			});
		}
	} catch (error) {
		if (!(error instanceof ReportRefused)) throw error;
		await logPlatformLine(db, s.deployment.id, error.line);
		await recordReport(db, s.deployment.id, { reportedState: s.deployment.state });
		return 'refused';
	}
	await recordReport(db, s.deployment.id, { reportedState: s.deployment.state });
	return 'reported';
}

async function reportGithubDeployment(
	deps: ReportDeps,
	octokit: Octokit,
	s: ReportSubject,
	pageUrl: string
) {
	const d = s.deployment;
	let githubId = s.report?.githubDeploymentId ?? null;
	if (githubId === null) {
		// A deployment that never ran gets none: there is nothing on GitHub to mark inactive.
		if (!wantsGithubDeployment(d.state)) return;
		const production = s.target.kind === 'production';
		const created = await githubCall('create a deployment', s.link.fullName, () =>
			octokit.rest.repos.createDeployment({
				owner: s.owner,
				repo: s.repo,
				ref: d.commitSha!,
				environment: githubEnvironmentName({
					projectSlug: s.project.slug,
					target: s.target,
					environmentName: s.environmentName
				}),
				description: shorten(`${s.project.name} on Slipway`),
				auto_merge: false,
				required_contexts: [],
				transient_environment: s.target.kind === 'branch' || s.target.kind === 'pull_request',
				production_environment: production,
				payload: { slipway_deployment_id: d.id }
			})
		);
		if (!('id' in created.data)) {
			throw new Error(`GitHub did not create the deployment: ${created.data.message ?? ''}`);
		}
		githubId = created.data.id;
		// Stored before its first status: a retry must not make a second GitHub Deployment.
		await recordReport(deps.db, d.id, { githubDeploymentId: githubId });
	}
	const status = deploymentStatusOf(d);
	const environmentUrl =
		status.state === 'success'
			? await aliasUrlOf(deps.db, deps.cfg, {
					projectId: s.project.id,
					projectSlug: s.project.slug,
					target: s.target
				})
			: undefined;
	await githubCall('update the deployment status', s.link.fullName, () =>
		octokit.rest.repos.createDeploymentStatus({
			owner: s.owner,
			repo: s.repo,
			deployment_id: githubId,
			state: status.state,
			description: status.description,
			log_url: pageUrl,
			...(environmentUrl ? { environment_url: environmentUrl } : {})
		})
	);
}

async function recordReport(
	db: Db,
	deploymentId: string,
	set: { reportedState?: string; githubDeploymentId?: number }
) {
	const values = { ...set, updatedAt: new Date() };
	await db
		.insert(githubDeploymentReports)
		.values({ deploymentId, ...values })
		.onConflictDoUpdate({ target: githubDeploymentReports.deploymentId, set: values });
}

/** When a report gave up after its last attempt: said once, in the deployment's log. */
export async function logReportGaveUp(db: Db, deploymentId: string, error: unknown) {
	const reason = ((error as Error).message ?? String(error)).slice(0, 200);
	await logPlatformLine(
		db,
		deploymentId,
		`Slipway could not report this deployment to GitHub after several attempts (${reason}). GitHub may show an outdated state; the next change of this deployment reports again.`
	);
}
