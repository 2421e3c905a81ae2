import { eq } from 'drizzle-orm';
import type { ProjectSettingsInput } from '../../schemas/project.ts';
import type { Db } from '../db/client.ts';
import { projects } from '../db/schema/index.ts';
import { validateBranchName } from '../environments/branch-match.ts';
import { AppError } from '../errors.ts';
import { addJob } from '../jobs/enqueue.ts';
import { clampResources, loadInstanceSettings } from './limits.ts';
import type { Project } from './queries.ts';
import { normalizeFilePath, normalizeRootDirectory } from './root-directory.ts';

/** `undefined` keeps the current value; an empty text clears an optional command. */
function pick<T>(next: T | undefined, current: T): T {
	return next === undefined ? current : next;
}
const orNull = (value: string | null | undefined) => (value ? value : null);

/**
 * Changes only the settings named in `input`. They apply to the next deployment; running ones keep
 * their snapshot.
 */
export async function updateProjectSettings(args: {
	db: Db;
	project: Project;
	input: ProjectSettingsInput;
}) {
	const { input, project: p } = args;
	const limits = clampResources(
		{
			cpuMillicores: input.cpuMillicores ?? p.cpuMillicores,
			memoryMb: input.memoryMb ?? p.memoryMb
		},
		await loadInstanceSettings(args.db)
	);
	const [project] = await args.db
		.update(projects)
		.set({
			name: pick(input.name, p.name),
			productionBranch:
				input.productionBranch === undefined
					? p.productionBranch
					: validateBranchName(input.productionBranch, { field: 'productionBranch' }),
			rootDirectory:
				input.rootDirectory === undefined
					? p.rootDirectory
					: normalizeRootDirectory(input.rootDirectory),
			preset: pick(input.preset, p.preset),
			dockerfilePath:
				input.dockerfilePath === undefined
					? p.dockerfilePath
					: input.dockerfilePath
						? normalizeFilePath(input.dockerfilePath)
						: null,
			installCommand:
				input.installCommand === undefined ? p.installCommand : orNull(input.installCommand),
			buildCommand: input.buildCommand === undefined ? p.buildCommand : orNull(input.buildCommand),
			startCommand: input.startCommand === undefined ? p.startCommand : orNull(input.startCommand),
			port: pick(input.port, p.port),
			healthCheckPath: pick(input.healthCheckPath, p.healthCheckPath),
			...limits,
			autoDeploy: pick(input.autoDeploy, p.autoDeploy),
			previewsEnabled: pick(input.previewsEnabled, p.previewsEnabled),
			updatedAt: new Date()
		})
		.where(eq(projects.id, p.id))
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
			{ projectId: args.project.id, projectSlug: args.project.slug },
			{ maxAttempts: 5 }
		);
	});
}
