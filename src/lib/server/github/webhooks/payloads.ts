import { z } from 'zod';

/**
 * The parts of GitHub's webhook payloads Slipway acts on (docs: "Webhook events and payloads").
 * Parsed in the worker: a delivery that lacks them is recorded as handled and ignored.
 */
const repository = z.object({ id: z.number(), full_name: z.string() });
const installationRef = z.object({ id: z.number() }).optional();

export const pushPayload = z.object({
	ref: z.string(),
	after: z.string(),
	deleted: z.boolean().default(false),
	head_commit: z.object({ message: z.string() }).nullable().optional(),
	repository,
	installation: installationRef
});
export type PushPayload = z.infer<typeof pushPayload>;

const prRepo = z
	.object({ id: z.number(), full_name: z.string(), clone_url: z.string() })
	.nullable();

export const pullRequestPayload = z.object({
	action: z.string(),
	number: z.number().int().positive(),
	pull_request: z.object({
		title: z.string().default(''),
		user: z.object({ login: z.string() }).nullable().optional(),
		head: z.object({
			ref: z.string(),
			sha: z.string(),
			label: z.string().optional(),
			repo: prRepo
		}),
		base: z.object({ repo: z.object({ id: z.number() }) })
	}),
	repository,
	installation: installationRef
});
export type PullRequestPayload = z.infer<typeof pullRequestPayload>;

const installation = z.object({
	id: z.number(),
	account: z.object({ login: z.string(), type: z.string().default('User') }).nullable(),
	repository_selection: z.string().default('selected'),
	suspended_at: z.string().nullable().optional()
});

export const installationPayload = z.object({ action: z.string(), installation });
export type InstallationPayload = z.infer<typeof installationPayload>;

export const installationRepositoriesPayload = z.object({
	action: z.string(),
	installation,
	repositories_removed: z.array(repository).default([])
});
export type InstallationRepositoriesPayload = z.infer<typeof installationRepositoriesPayload>;

export const repositoryPayload = z.object({
	action: z.string(),
	repository: repository.extend({ owner: z.object({ login: z.string() }).optional() }),
	changes: z
		.object({
			repository: z.object({ name: z.object({ from: z.string() }) }).optional(),
			owner: z
				.object({
					from: z.object({
						user: z.object({ login: z.string() }).optional(),
						organization: z.object({ login: z.string() }).optional()
					})
				})
				.optional()
		})
		.passthrough()
		.optional()
});
export type RepositoryPayload = z.infer<typeof repositoryPayload>;
