import { eq } from 'drizzle-orm';
import type { ProjectSettingsInput } from '../../schemas/project.ts';
import type { Db } from '../db/client.ts';
import { projects } from '../db/schema/index.ts';
import { validateBranchName } from '../environments/branch-match.ts';
import { AppError } from '../errors.ts';
import { addJob } from '../jobs/enqueue.ts';
import { clampResources, loadInstanceSettings } from './limits.ts';
import type { Project } from './queries.ts';
import { normalizeRootDirectory } from './root-directory.ts';

/** Settings apply to the next deployment; running ones keep their snapshot. */
export async function updateProjectSettings(args: {
	db: Db;
	project: Project;
	input: ProjectSettingsInput & { name?: string };
}) {
	const { input } = args;
	const limits = clampResources(
		{
			cpuMillicores: input.cpuMillicores ?? args.project.cpuMillicores,
			memoryMb: input.memoryMb ?? args.project.memoryMb
		},
		await loadInstanceSettings(args.db)
	);
	const [project] = await args.db
		.update(projects)
		.set({
			name: input.name ?? args.project.name,
			productionBranch: validateBranchName(input.productionBranch, { field: 'productionBranch' }),
			rootDirectory: normalizeRootDirectory(input.rootDirectory ?? ''),
			preset: input.preset ?? null,
			dockerfilePath: input.dockerfilePath || null,
			installCommand: input.installCommand || null,
			buildCommand: input.buildCommand || null,
			startCommand: input.startCommand || null,
			port: input.port,
			healthCheckPath: input.healthCheckPath,
			...limits,
			autoDeploy: input.autoDeploy,
			previewsEnabled: input.previewsEnabled,
			updatedAt: new Date()
		})
		.where(eq(projects.id, args.project.id))
		.returning();
	return project;
}

/**
 * Deletes the project's rows at once (deployments, logs, env vars cascade) and queues the removal
 * of its containers, images and network in the same transaction.
 */
export async function deleteProject(args: { db: Db; project: Project; confirmName: string }) {
	if (args.confirmName.trim() !== args.project.name) {
		throw new AppError('INVALID', `Type the project name, ${args.project.name}, to confirm.`, {
			field: 'confirmName'
		});
	}
	await args.db.transaction(async (tx) => {
		await tx.delete(projects).where(eq(projects.id, args.project.id));
		await addJob(
			tx,
			'remove_project_resources',
			{ projectId: args.project.id },
			{ maxAttempts: 5 }
		);
	});
}
