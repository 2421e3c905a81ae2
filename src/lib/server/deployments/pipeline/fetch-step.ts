import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { decryptSecret } from '../../crypto/secret-box.ts';
import { deployments, projects } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { writeKeyFile } from '../../git/deploy-key.ts';
import { fetchSource } from '../../git/remote.ts';
import type { LogWriter } from '../../logs/writer.ts';
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
				sshKeyPath: key?.path
			},
			signal: args.signal
		});
		await deps.db
			.update(deployments)
			.set({ commitSha: source.sha, commitMessage: source.message.slice(0, 4000) })
			.where(eq(deployments.id, d.id));
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
