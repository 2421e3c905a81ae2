import type { projects } from '../db/schema/index.ts';
import type { AliasTarget } from '../proxy/hostnames.ts';

/** What a deployment is built and run with, frozen at creation (settings may change later). */
export type ConfigSnapshot = {
	projectSlug: string;
	repoUrl: string;
	sourceKind: string;
	rootDirectory: string;
	preset: string | null;
	dockerfilePath: string | null;
	installCommand: string | null;
	buildCommand: string | null;
	startCommand: string | null;
	port: number;
	healthCheckPath: string;
	cpuMillicores: number;
	memoryMb: number;
	environment: string;
	alias: AliasTarget;
	/** Code from a fork: deployed without the project's secret variables. */
	secretsWithheld?: boolean;
};

export function snapshotConfig(
	project: typeof projects.$inferSelect
): Omit<ConfigSnapshot, 'environment' | 'alias'> {
	return {
		projectSlug: project.slug,
		repoUrl: project.repoUrl,
		sourceKind: project.sourceKind,
		rootDirectory: project.rootDirectory,
		preset: project.preset,
		dockerfilePath: project.dockerfilePath,
		installCommand: project.installCommand,
		buildCommand: project.buildCommand,
		startCommand: project.startCommand,
		port: project.port,
		healthCheckPath: project.healthCheckPath,
		cpuMillicores: project.cpuMillicores,
		memoryMb: project.memoryMb
	};
}
