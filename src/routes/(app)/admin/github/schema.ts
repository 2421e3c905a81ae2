import { z } from 'zod';

export const createAppSchema = z.object({
	webUrl: z
		.string()
		.trim()
		.min(1, 'Enter the GitHub address.')
		.max(200)
		.regex(/^https?:\/\/[^\s/]+/i, 'Enter an address such as https://github.com.')
		.default('https://github.com'),
	organization: z
		.string()
		.trim()
		.max(39, 'GitHub logins have at most 39 characters.')
		.regex(/^([a-z\d](?:[a-z\d]|-(?=[a-z\d]))*)?$/i, 'Letters, digits and single hyphens only.')
		.default(''),
	name: z.string().trim().min(1, 'Name the App.').max(34, 'GitHub allows at most 34 characters.')
});

export const removeAppSchema = z.object({ confirm: z.literal('remove') });
