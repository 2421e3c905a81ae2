import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { encryptSecret, type Keyring } from '../crypto/secret-box.ts';
import type { Db } from '../db/client.ts';
import { deployments, environments, projects } from '../db/schema/index.ts';
import { matchEnvironment, validateBranchName } from '../environments/branch-match.ts';
import { resolveDeploymentEnv } from '../env-vars/resolve.ts';
import { loadEnvLayers } from '../env-vars/store.ts';
import { AppError, notFound } from '../errors.ts';
import { publishDeploymentEvent } from '../events/bus.ts';
import { addJob } from '../jobs/enqueue.ts';
import type { AliasTarget } from '../proxy/hostnames.ts';
import { createLogWriter } from '../logs/writer.ts';
import { announceDeployment } from './announce.ts';
import { snapshotConfig, type ConfigSnapshot } from './snapshot.ts';

export type DeploymentTrigger = (typeof deployments.$inferInsert)['trigger'];

export type DeployContext = { db: Db; keyring: Keyring };

/** The seal of a deployment's env snapshot is bound to the deployment id. */
export const envSnapshotAad = (deploymentId: string) => `deployment-env:${deploymentId}`;

/**
 * Where a branch deploys: its environment row (production or a matching pattern) or a preview.
 * Refuses a branch that matches nothing while previews are off.
 */
export async function resolveTarget(db: Db, project: typeof projects.$inferSelect, branch: string) {
	const envs = await db
		.select()
		.from(environments)
		.where(eq(environments.projectId, project.id))
		.orderBy(asc(environments.position));
	const production = envs.find((e) => e.isProduction);
	const match = matchEnvironment({
		productionBranch: project.productionBranch,
		environments: envs
			.filter((e) => !e.isProduction && e.branchPattern)
			.map((e) => ({ ...e, pattern: e.branchPattern! })),
		branch,
		previewsEnabled: project.previewsEnabled
	});
	if (match.kind === 'none') {
		throw new AppError(
			'INVALID',
			`Branch ${branch} matches no environment and preview deployments are off. Turn previews on or add an environment for it.`,
			{ field: 'branch' }
		);
	}
	const environment =
		match.kind === 'production'
			? production!
			: match.kind === 'environment'
				? match.environment
				: null;
	const alias: AliasTarget =
		match.kind === 'production'
			? { kind: 'production' }
			: match.kind === 'environment'
				? { kind: 'environment', environmentSlug: match.environment.slug }
				: { kind: 'branch', branch };
	return { environment, alias, environmentName: environment?.slug ?? 'preview' };
}

/** A pull request's preview: its own alias (`<project>-pr-<n>`), env vars of a preview of its branch. */
function pullRequestTarget(number: number) {
	const alias: AliasTarget = { kind: 'pull_request', number };
	return { environment: null, alias, environmentName: 'preview' };
}

/**
 * Records a deployment and queues its pipeline in one transaction. The job key is per project
 * and branch (or pull request), so a newer push replaces a queued one; the replaced deployment
 * ends `skipped`. Jobs of one project share a queue: its builds run one at a time.
 */
export async function createDeployment(
	ctx: DeployContext,
	args: {
		projectId: string;
		branch?: string;
		commitSha?: string | null;
		commitMessage?: string | null;
		trigger: DeploymentTrigger;
		actorId?: string | null;
		/** Promote: run this deployment's image on production (no build). */
		promoteFrom?: typeof deployments.$inferSelect;
		/** A pull request's preview (branch = its head branch, commitSha = its head commit). */
		pullRequest?: number;
		/**
		 * Run without the project's secret variables: code from a fork must never see them.
		 * Recorded in the config snapshot and said in the deployment log.
		 */
		withholdSecrets?: boolean;
		/** Record the deployment as `skipped` with this reason, without running it. */
		skipReason?: string;
	}
) {
	const [project] = await ctx.db.select().from(projects).where(eq(projects.id, args.projectId));
	if (!project) throw notFound('Project');
	const source = args.promoteFrom;
	const branch = validateBranchName(source?.branch ?? args.branch ?? project.productionBranch);
	if (args.commitSha && !/^[0-9a-f]{40}$/.test(args.commitSha)) {
		throw new AppError('INVALID', 'A commit is a full 40-character SHA.', { field: 'commitSha' });
	}
	const target = source
		? await resolveTarget(ctx.db, project, project.productionBranch)
		: args.pullRequest !== undefined
			? pullRequestTarget(args.pullRequest)
			: await resolveTarget(ctx.db, project, branch);
	const id = randomUUID();
	const layers = await loadEnvLayers({
		db: ctx.db,
		keyring: ctx.keyring,
		projectId: project.id,
		environmentId: target.environment?.id ?? null,
		branch: source ? project.productionBranch : branch,
		omitSecrets: args.withholdSecrets
	});
	const paused = args.skipReason ?? productionPause(project, target.alias, args.trigger);
	// Platform variables are added at start, once the commit is known; users' values win then.
	const env = resolveDeploymentEnv({ ...layers, platform: {} });
	const envSnapshotSealed = encryptSecret({
		keyring: ctx.keyring,
		plaintext: JSON.stringify({ runtime: env.runtime, build: env.build }),
		aad: envSnapshotAad(id)
	});

	const jobKey = source
		? `promote:${project.id}`
		: args.pullRequest !== undefined
			? `deploy:${project.id}:pr:${args.pullRequest}`
			: `deploy:${project.id}:${branch}`;
	const { deployment, superseded } = await ctx.db.transaction(async (tx) => {
		// Serialise deploys of one branch: the supersede update below must see the other's row.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${jobKey}))`);
		if (source) {
			// Promoting is the explicit way forward after a rollback: production follows pushes again.
			await tx
				.update(projects)
				.set({ productionAutoDeployPausedAt: null, productionAutoDeployPausedReason: null })
				.where(eq(projects.id, project.id));
		}
		const superseded =
			source || paused
				? []
				: await tx
						.update(deployments)
						.set({
							state: 'skipped',
							failureReason:
								'Superseded by a newer deployment of the same branch before it started.',
							finishedAt: new Date(),
							updatedAt: new Date()
						})
						.where(
							and(
								eq(deployments.projectId, project.id),
								args.pullRequest !== undefined
									? eq(deployments.pullRequest, args.pullRequest)
									: and(eq(deployments.branch, branch), isNull(deployments.pullRequest)),
								eq(deployments.state, 'queued'),
								ne(deployments.id, id)
							)
						)
						.returning();
		const [deployment] = await tx
			.insert(deployments)
			.values({
				id,
				projectId: project.id,
				environmentId: target.environment?.id ?? null,
				branch,
				pullRequest: args.pullRequest ?? null,
				commitSha: source ? source.commitSha : (args.commitSha ?? null),
				commitMessage: source ? source.commitMessage : (args.commitMessage ?? null),
				trigger: args.trigger,
				configSnapshot: {
					...(source ? (source.configSnapshot as ConfigSnapshot) : snapshotConfig(project)),
					environment: target.environmentName,
					alias: target.alias,
					...(args.withholdSecrets ? { secretsWithheld: true } : {})
				},
				sourceDeploymentId: source?.id ?? null,
				envSnapshotSealed,
				createdBy: args.actorId ?? null,
				...(paused
					? { state: 'skipped' as const, failureReason: paused, finishedAt: new Date() }
					: {})
			})
			.returning();
		if (paused) return { deployment, superseded };
		await addJob(
			tx,
			'deploy',
			{ deploymentId: id },
			{
				jobKey,
				jobKeyMode: 'replace',
				queueName: `project:${project.id}`,
				maxAttempts: 1
			}
		);
		return { deployment, superseded };
	});
	if (args.withholdSecrets && !paused) {
		const log = createLogWriter({ db: ctx.db, deploymentId: deployment.id });
		log.write(
			'platform',
			"This deployment runs code from a fork: the project's secret variables are withheld."
		);
		await log.close();
	}
	for (const d of [...superseded, deployment]) void announceDeployment(ctx.db, d);
	for (const d of superseded) void publishDeploymentEvent(d.id, { type: 'end' });
	const { envSnapshotSealed: _sealed, ...visible } = deployment;
	return visible;
}

/** Pushes and deploy hooks do not go live on production while a rollback holds it. */
const AUTOMATIC: DeploymentTrigger[] = ['push', 'deploy_hook'];

function productionPause(
	project: typeof projects.$inferSelect,
	alias: AliasTarget,
	trigger: DeploymentTrigger
): string | null {
	if (alias.kind !== 'production' || !project.productionAutoDeployPausedAt) return null;
	if (!AUTOMATIC.includes(trigger)) return null;
	return `Not deployed: production auto-deploy is paused since a rollback (${project.productionAutoDeployPausedReason ?? 'rolled back'}). Resume it in the project settings, or promote or deploy manually.`;
}
