import { createProjectSchema } from '$lib/schemas/project';

/** The new-project form: the API's create input (repository URL plus every setting). */
export const newProjectSchema = createProjectSchema;

/** What detection found, carried back to the page as the form's message. */
export type Detection = {
	repository: string;
	needsDeployKey: boolean;
	defaultBranch: string | null;
	presetLabel: string | null;
	reasons: string[];
};
