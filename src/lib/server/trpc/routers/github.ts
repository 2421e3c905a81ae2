import { join } from 'node:path';
import { z } from 'zod';
import { importGithubRepoSchema } from '../../../schemas/project.ts';
import { loadGithubApp, requireGithubApp } from '../../github/app.ts';
import { resolveGithubSource } from '../../github/import.ts';
import { listTeamInstallations, requireTeamInstallation } from '../../github/installations.ts';
import { getProjectGithubRepo, reconnectProjectRepo } from '../../github/project-repo.ts';
import { searchInstallationRepos } from '../../github/repositories.ts';
import { createProject } from '../../projects/create.ts';
import { detectRepository } from '../../projects/detect-remote.ts';
import { publicProject } from '../../projects/queries.ts';
import { projectProcedure, router, teamProcedure } from '../init.ts';
import type { Context } from '../context.ts';

const projectContext = (ctx: Context) => ({
	db: ctx.db,
	keyring: ctx.keyring,
	allowLocalGit: ctx.config.SLIPWAY_ALLOW_LOCAL_GIT,
	gitHome: join(ctx.config.SLIPWAY_WORK_DIR, 'git-home')
});

const githubId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const githubRouter = router({
	/** Whether the instance has a GitHub App, and the installations this team may import from. */
	installations: teamProcedure('viewer').query(async ({ ctx }) => {
		const app = await loadGithubApp(ctx.db, ctx.keyring);
		return {
			app: app ? { name: app.name, slug: app.slug, webUrl: app.webUrl } : null,
			installations: app ? await listTeamInstallations(ctx.db, ctx.team.id) : []
		};
	}),

	/** One page of an installation's repositories, filtered by a case-insensitive search. */
	repositories: teamProcedure('admin')
		.input(
			z.object({
				installationId: githubId,
				search: z.string().trim().max(200).optional(),
				page: z.number().int().min(1).max(10_000).optional()
			})
		)
		.query(async ({ ctx, input }) => {
			await requireTeamInstallation(ctx.db, ctx.team.id, input.installationId);
			const app = await requireGithubApp(ctx.db, ctx.keyring);
			return searchInstallationRepos(app, input);
		}),

	/** New-project flow for a picked repository: its default branch and the preset that fits. */
	detectRepository: teamProcedure('admin')
		.input(
			z.object({
				installationId: githubId,
				repoId: githubId,
				branch: z.string().trim().max(255).optional(),
				rootDirectory: z.string().trim().max(500).default('')
			})
		)
		.mutation(async ({ ctx, input }) => {
			const github = await resolveGithubSource(ctx.db, ctx.keyring, {
				teamId: ctx.team.id,
				installationId: input.installationId,
				repoId: input.repoId
			});
			const found = await detectRepository(
				projectContext(ctx),
				{ repoUrl: github.url, branch: input.branch, rootDirectory: input.rootDirectory },
				github
			);
			return { ...found, defaultBranch: github.defaultBranch };
		}),

	/** Creates a project that deploys a repository of one of the team's installations. */
	importRepository: teamProcedure('admin')
		.input(importGithubRepoSchema)
		.mutation(async ({ ctx, input }) => {
			const { installationId, repoId, ...settings } = input;
			const github = await resolveGithubSource(ctx.db, ctx.keyring, {
				teamId: ctx.team.id,
				installationId,
				repoId
			});
			return publicProject(
				await createProject(projectContext(ctx), {
					teamId: ctx.team.id,
					actorId: ctx.user.id,
					input: { ...settings, repoUrl: github.url },
					github
				})
			);
		}),

	/** The project's GitHub repository and whether it is disconnected (null: not a GitHub project). */
	projectRepo: projectProcedure('viewer').query(({ ctx }) =>
		getProjectGithubRepo(ctx.db, ctx.project.id)
	),

	/** After an uninstall, rename or transfer: check access again and deploy from it again. */
	reconnect: projectProcedure('admin').mutation(({ ctx }) =>
		reconnectProjectRepo(ctx.db, ctx.keyring, ctx.project)
	)
});
