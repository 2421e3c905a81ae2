import { z } from 'zod';
import { createProjectSchema } from '$lib/schemas/project';

const githubId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable();

/**
 * The new-project form: the API's create input (repository URL plus every setting), or a
 * repository picked from a GitHub App installation (then the URL stays empty).
 */
export const newProjectSchema = createProjectSchema.extend({
	repoUrl: z.string().trim().max(2048).default(''),
	installationId: githubId.default(null),
	repoId: githubId.default(null),
	/** `owner/name` of the picked GitHub repository, for display only. */
	githubRepo: z.string().trim().max(300).default('')
});

/** What detection found, carried back to the page as the form's message. */
export type Detection = {
	repository: string;
	needsDeployKey: boolean;
	defaultBranch: string | null;
	presetLabel: string | null;
	reasons: string[];
	/** Set when the repository comes from a GitHub App installation. */
	github?: boolean;
};
