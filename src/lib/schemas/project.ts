import { z } from 'zod';

// Shared by forms and tRPC; the services do the deeper checks (URL kinds, branch rules).
const command = z.string().trim().max(2000).nullable();

/** Every setting, none required: an update changes only what it names. */
export const projectSettingsSchema = z
	.object({
		name: z.string().trim().min(1, 'Name the project.').max(60, 'Use at most 60 characters.'),
		productionBranch: z.string().trim().min(1, 'Enter the production branch.').max(255),
		rootDirectory: z.string().trim().max(500),
		preset: z.enum(['node', 'python', 'go', 'static', 'dockerfile']).nullable(),
		dockerfilePath: z.string().trim().max(500).nullable(),
		installCommand: command,
		buildCommand: command,
		startCommand: command,
		port: z.coerce.number().int().min(1).max(65535),
		healthCheckPath: z
			.string()
			.trim()
			.max(500)
			.regex(/^\/[^\s]*$/, 'Start the path with / (for example /healthz).'),
		cpuMillicores: z.coerce.number().int().min(100, 'Use at least 100 millicores.').max(64000),
		memoryMb: z.coerce.number().int().min(64, 'Use at least 64 MB.').max(262144),
		autoDeploy: z.boolean(),
		previewsEnabled: z.boolean()
	})
	.partial();

export const createProjectSchema = projectSettingsSchema.extend({
	name: z.string().trim().min(1, 'Name the project.').max(60, 'Use at most 60 characters.'),
	repoUrl: z.string().trim().min(1, 'Enter the repository URL.').max(2048)
});

export type CreateProjectInput = z.infer<typeof createProjectSchema>;
export type ProjectSettingsInput = z.infer<typeof projectSettingsSchema>;

/** A project from a repository picked in a GitHub App installation (the URL comes from GitHub). */
export const importGithubRepoSchema = projectSettingsSchema.extend({
	name: z.string().trim().min(1, 'Name the project.').max(60, 'Use at most 60 characters.'),
	installationId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
	repoId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)
});

export type ImportGithubRepoInput = z.infer<typeof importGithubRepoSchema>;
