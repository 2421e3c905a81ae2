import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { decryptSecret } from '../../crypto/secret-box.ts';
import { deployments, projects } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { writeKeyFile } from '../../git/deploy-key.ts';
import { fetchSource } from '../../git/remote.ts';
import type { GitAccess } from '../../git/run-git.ts';
import { loadGithubApp } from '../../github/app.ts';
import { githubGitAccess } from '../../github/clone.ts';
import { getProjectGithubRepo } from '../../github/project-repo.ts';
import type { LogWriter } from '../../logs/writer.ts';
import { announceDeployment } from '../announce.ts';
import type { ConfigSnapshot } from '../snapshot.ts';
import type { PipelineDeps } from './run.ts';
import type { Deployment } from './state.ts';
import { StepCanceled, StepFailure } from './step-failure.ts';

/** Shallow-fetches the deployment's commit (or its branch head) and records which commit it is. */
export async function fetchStep(
	deps: PipelineDeps,
	args: {
		deployment: Deployment;
		snapshot: ConfigSnapshot;
		workspace: string;
		log: LogWriter;
		signal: AbortSignal;
	}
): Promise<{ dir: string; sha: string; message: string }> {
	const { deployment: d } = args;
	const [project] = await deps.db
		.select({ deployKeySealed: projects.deployKeySealed })
		.from(projects)
		.where(eq(projects.id, d.projectId));
	const github = await githubAccess(deps, d.projectId);
	const key = project?.deployKeySealed
		? await writeKeyFile(decryptSecret({ keyring: deps.keyring, sealed: project.deployKeySealed }))
		: null;
	const dir = join(args.workspace, 'src');
	args.log.write(
		'platform',
		`Fetching ${d.commitSha ? `commit ${d.commitSha.slice(0, 7)}` : `branch ${d.branch}`}.`
	);
	try {
		const source = await fetchSource({
			url: args.snapshot.repoUrl,
			ref: { branch: d.branch, sha: d.commitSha },
			dir,
			access: {
				allowLocal: deps.cfg.SLIPWAY_ALLOW_LOCAL_GIT,
				homeDir: join(deps.cfg.SLIPWAY_WORK_DIR, 'git-home'),
				sshKeyPath: key?.path,
				...github
			},
			signal: args.signal
		});
		const [fetched] = await deps.db
			.update(deployments)
			.set({ commitSha: source.sha, commitMessage: source.message.slice(0, 4000) })
			.where(eq(deployments.id, d.id))
			.returning();
		// Live views show the commit now, and GitHub hears of a deployment that started from a
		// branch name (a manual deploy) while it builds, not only once it starts.
		if (fetched) void announceDeployment(deps.db, fetched);
		const subject = source.message.split('\n')[0];
		args.log.write(
			'platform',
			`Fetched ${source.sha.slice(0, 7)}${subject ? `: ${subject}` : ''}.`
		);
		return { dir, ...source };
	} catch (error) {
		if (args.signal.aborted) throw new StepCanceled();
		if (error instanceof AppError) throw new StepFailure('fetch', error.message, { cause: error });
		throw error;
	} finally {
		await key?.remove();
	}
}

/**
 * A project deploying a GitHub repository clones with a fresh token that can only read that
 * repository, handed to git through its environment: it never reaches the workspace, the image,
 * the container or a log line.
 */
async function githubAccess(
	deps: PipelineDeps,
	projectId: string
): Promise<Pick<GitAccess, 'httpAuthorization' | 'allowHttp'> | undefined> {
	const repo = await getProjectGithubRepo(deps.db, projectId);
	if (!repo) return undefined;
	const app = await loadGithubApp(deps.db, deps.keyring);
	if (!app) {
		throw new StepFailure(
			'fetch',
			`This project deploys ${repo.fullName} from GitHub, but GitHub is not connected to this instance any more: an instance admin connects it under Admin → GitHub.`
		);
	}
	try {
		return await githubGitAccess(app, repo);
	} catch (error) {
		const cause = error instanceof AppError ? error.cause : error;
		const status = (cause as { status?: number } | undefined)?.status;
		if (status === 401 && error instanceof AppError) {
			throw new StepFailure('fetch', error.message, { cause: error });
		}
		if (status && status >= 400 && status < 500) {
			throw new StepFailure(
				'fetch',
				`GitHub refused access to ${repo.fullName} (HTTP ${status}): the App was uninstalled or suspended, or lost access to the repository. Install the App again or grant it the repository on GitHub, then use Reconnect on the project page and deploy again.`,
				{ cause: error }
			);
		}
		throw new StepFailure(
			'fetch',
			`GitHub could not be reached to get access to ${repo.fullName}${status ? ` (HTTP ${status})` : ''}. Deploy again once GitHub answers.`,
			{ cause: error }
		);
	}
}
