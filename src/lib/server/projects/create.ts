import type { CreateProjectInput } from '../../schemas/project.ts';
import { encryptSecret, type Keyring } from '../crypto/secret-box.ts';
import type { Db } from '../db/client.ts';
import { aliases, environments, projectGithubRepos, projects } from '../db/schema/index.ts';
import { validateBranchName } from '../environments/branch-match.ts';
import { AppError } from '../errors.ts';
import { generateDeployKey } from '../git/deploy-key.ts';
import { lsRemote } from '../git/remote.ts';
import { parseRepositoryUrl, type RepositorySource } from '../git/source-url.ts';
import type { GithubSource } from '../github/import.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { slugify } from '../teams/slug.ts';
import { findFreeSlug } from '../db/free-slug.ts';
import { clampResources, loadInstanceSettings } from './limits.ts';
import { normalizeFilePath, normalizeRootDirectory } from './root-directory.ts';

export type ProjectContext = {
	db: Db;
	keyring: Keyring;
	allowLocalGit: boolean;
	/** Scratch folder for git's known_hosts. */
	gitHome: string;
};

// Project slugs end up in hostnames (`<project>-branch-<branch>.D`), so keep them short.
const MAX_PROJECT_SLUG = 30;

function projectSlugBase(name: string): string {
	return slugify(name, 'app').slice(0, MAX_PROJECT_SLUG).replace(/-+$/, '');
}

/**
 * Creates a project and its Production environment. An HTTPS or local repository is asked for
 * its branches first, so a typo fails here with a reason instead of at the first deploy; an SSH
 * repository gets a fresh deploy key, which the user must add before the first deploy.
 */
export async function createProject(
	ctx: ProjectContext,
	args: {
		teamId: string;
		actorId: string;
		input: CreateProjectInput;
		/** A repository picked from a GitHub App installation (then `input.repoUrl` is ignored). */
		github?: GithubSource;
	}
) {
	const { input, github } = args;
	const source: Omit<RepositorySource, 'kind'> & { kind: RepositorySource['kind'] | 'github' } =
		github
			? { kind: 'github', url: github.url, displayName: github.fullName }
			: parseRepositoryUrl({ url: input.repoUrl, allowLocal: ctx.allowLocalGit });
	const rootDirectory = normalizeRootDirectory(input.rootDirectory ?? '');
	let productionBranch = input.productionBranch
		? validateBranchName(input.productionBranch, { field: 'productionBranch' })
		: null;

	let deployKey: { publicKey: string; sealed: string } | null = null;
	if (source.kind === 'ssh') {
		const key = await generateDeployKey(`slipway ${input.name}`);
		deployKey = {
			publicKey: key.publicKey,
			sealed: encryptSecret({ keyring: ctx.keyring, plaintext: key.privateKey })
		};
	} else {
		const remote = await lsRemote({
			url: source.url,
			access: { allowLocal: ctx.allowLocalGit, homeDir: ctx.gitHome, ...github?.access },
			branch: productionBranch ?? undefined
		});
		if (productionBranch && !remote.branchSha) {
			throw new AppError(
				'INVALID',
				`Branch ${productionBranch} does not exist in ${source.displayName}. Push it first or pick another branch.`,
				{ field: 'productionBranch' }
			);
		}
		productionBranch ??= github?.defaultBranch ?? remote.defaultBranch;
	}
	productionBranch ??= 'main';

	const limits = clampResources(input, await loadInstanceSettings(ctx.db));
	for (let attempt = 0; ; attempt++) {
		const slug = await findFreeSlug({
			db: ctx.db,
			table: projects,
			column: projects.slug,
			base: projectSlugBase(input.name),
			alsoIn: [{ table: aliases, column: aliases.label }]
		});
		try {
			return await ctx.db.transaction(async (tx) => {
				const [project] = await tx
					.insert(projects)
					.values({
						teamId: args.teamId,
						slug,
						name: input.name,
						sourceKind: source.kind,
						repoUrl: source.url,
						deployKeyPublic: deployKey?.publicKey ?? null,
						deployKeySealed: deployKey?.sealed ?? null,
						productionBranch,
						rootDirectory,
						preset: input.preset ?? null,
						dockerfilePath: input.dockerfilePath ? normalizeFilePath(input.dockerfilePath) : null,
						installCommand: input.installCommand || null,
						buildCommand: input.buildCommand || null,
						startCommand: input.startCommand || null,
						port: input.port ?? 8000,
						healthCheckPath: input.healthCheckPath ?? '/',
						...limits,
						autoDeploy: input.autoDeploy ?? true,
						previewsEnabled: input.previewsEnabled ?? true,
						createdBy: args.actorId
					})
					.returning();
				const [production] = await tx
					.insert(environments)
					.values({
						projectId: project.id,
						name: 'Production',
						slug: 'production',
						isProduction: true,
						position: 0
					})
					.returning();
				// The production hostname is the slug, fixed from now on (unique: a clash retries).
				await tx.insert(aliases).values({
					projectId: project.id,
					kind: 'production',
					key: '',
					label: slug,
					environmentId: production.id
				});
				if (github) {
					await tx.insert(projectGithubRepos).values({
						projectId: project.id,
						installationId: github.installationId,
						repoId: github.repoId,
						fullName: github.fullName
					});
				}
				return project;
			});
		} catch (error) {
			// Another project took the slug between our check and insert: pick the next one.
			if (isUniqueViolation(error) && attempt < 3) continue;
			throw error;
		}
	}
}
