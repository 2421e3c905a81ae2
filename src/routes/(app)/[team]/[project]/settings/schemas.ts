import { projectSettingsSchema } from '$lib/schemas/project';

// Two forms over the shared settings schema: each saves only the fields it shows.
export const generalSchema = projectSettingsSchema
	.pick({ name: true, productionBranch: true, autoDeploy: true, previewsEnabled: true })
	.required();

export const buildSchema = projectSettingsSchema
	.pick({
		rootDirectory: true,
		preset: true,
		dockerfilePath: true,
		installCommand: true,
		buildCommand: true,
		startCommand: true,
		port: true,
		healthCheckPath: true,
		cpuMillicores: true,
		memoryMb: true
	})
	.required();
