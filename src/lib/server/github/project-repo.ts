import { eq } from 'drizzle-orm';
import type { Keyring } from '../crypto/secret-box.ts';
import type { Db } from '../db/client.ts';
import { projectGithubRepos, projects } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { requireGithubApp } from './app.ts';
import { cloneUrl } from './clone.ts';
import { listTeamInstallations } from './installations.ts';
import { installationRepos } from './repositories.ts';

/** The GitHub repository a project deploys (null for projects made from a URL). */
export async function getProjectGithubRepo(db: Db, projectId: string) {
	const [row] = await db
		.select({
			installationId: projectGithubRepos.installationId,
			repoId: projectGithubRepos.repoId,
			fullName: projectGithubRepos.fullName,
			disconnectedAt: projectGithubRepos.disconnectedAt,
			disconnectedReason: projectGithubRepos.disconnectedReason
		})
		.from(projectGithubRepos)
		.where(eq(projectGithubRepos.projectId, projectId));
	return row ?? null;
}

/**
 * Checks again that the App can reach the project's repository (by id: renames and transfers
 * keep it), through its installation or, after a reinstall, any other installation of the team.
 * Found → the project follows the repository's current name and deploys again; not found → an
 * error saying what to do, and nothing changes.
 */
export async function reconnectProjectRepo(
	db: Db,
	keyring: Keyring,
	project: { id: string; teamId: string }
) {
	const current = await getProjectGithubRepo(db, project.id);
	if (!current) {
		throw new AppError('INVALID', 'This project does not deploy a GitHub repository.');
	}
	const app = await requireGithubApp(db, keyring);
	const linked = await listTeamInstallations(db, project.teamId);
	const candidates = [
		current.installationId,
		...linked.map((i) => i.id).filter((id) => id !== current.installationId)
	];
	let lastError: unknown = null;
	for (const installationId of candidates) {
		let repos;
		try {
			repos = await installationRepos(app, installationId, { fresh: true });
		} catch (error) {
			lastError = error;
			continue;
		}
		const repo = repos.find((r) => r.id === current.repoId);
		if (!repo) continue;
		await db.transaction(async (tx) => {
			await tx
				.update(projectGithubRepos)
				.set({
					installationId,
					fullName: repo.fullName,
					disconnectedAt: null,
					disconnectedReason: null,
					updatedAt: new Date()
				})
				.where(eq(projectGithubRepos.projectId, project.id));
			await tx
				.update(projects)
				.set({ repoUrl: cloneUrl(app, repo.fullName), updatedAt: new Date() })
				.where(eq(projects.id, project.id));
		});
		return { fullName: repo.fullName, installationId };
	}
	const why =
		lastError instanceof AppError && candidates.length === 1 ? ` (${lastError.message})` : '';
	throw new AppError(
		'UNAVAILABLE',
		`The GitHub App cannot reach ${current.fullName} any more${why}. Install the App on the account that owns the repository (New project → Import from GitHub → Install) or grant it access to the repository, then reconnect.`
	);
}
