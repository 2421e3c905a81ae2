import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { sql } from 'drizzle-orm';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import type { Db } from '../../src/lib/server/db/client.ts';
import { processGithubDelivery } from '../../src/lib/server/github/webhooks/process.ts';
import type { WebhookDeps } from '../../src/lib/server/github/webhooks/handle-push.ts';
import { createTestDatabase } from './db.ts';
import { pipelineDeps } from './deploy.ts';
import { seedGithubApp } from './fake-github/seed.ts';
import { startFakeGithub } from './fake-github/server.ts';
import { createGitRepo, removeGitRepos, sampleApps } from './git-repo.ts';
import { startWeb } from './server.ts';
import { makeUser } from './world.ts';

/** The repository of GitHub's recorded example payloads (Codertocat/Hello-World). */
export const EXAMPLE_REPO = { id: 186853002, fullName: 'Codertocat/Hello-World' };

type Example = Record<string, unknown> & { action?: string };

/**
 * A recorded payload from @octokit/webhooks-examples (a fresh deep copy to patch): the first
 * example of `event` for which `pick` holds.
 */
export function examplePayload<T = Example>(
	event: string,
	pick: (p: Example) => boolean = () => true
) {
	const group = (examples as { name: string; examples: Example[] }[]).find((e) => e.name === event);
	const found = group?.examples.find(pick);
	if (!found) throw new Error(`no ${event} example matches`);
	return structuredClone(found) as T;
}

/** POSTs a delivery the way GitHub does: JSON body, event and delivery headers, HMAC signature. */
export async function deliver(
	url: string,
	event: string,
	payload: unknown,
	options: { secret?: string; id?: string; signature?: string | null; body?: string } = {}
) {
	const body = options.body ?? JSON.stringify(payload);
	const id = options.id ?? randomUUID();
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'user-agent': 'GitHub-Hookshot/test',
		'x-github-event': event,
		'x-github-delivery': id
	};
	const signature =
		options.signature === undefined
			? options.secret
				? await sign(options.secret, body)
				: null
			: options.signature;
	if (signature) headers['x-hub-signature-256'] = signature;
	const response = await fetch(`${url}/api/webhooks/github`, { method: 'POST', headers, body });
	return { id, status: response.status, body: (await response.json()) as { message: string } };
}

/** Links a project to a GitHub repository, as creating it from the repo picker does. */
export async function linkRepository(
	db: Db,
	args: { projectId: string; installationId: number; repoId: number; fullName: string }
) {
	await db.execute(sql`insert into github_installations (id, account_login, account_type)
		values (${args.installationId}, 'Codertocat', 'User') on conflict do nothing`);
	await db.execute(sql`insert into project_github_repos (project_id, installation_id, repo_id, full_name)
		values (${args.projectId}, ${args.installationId}, ${args.repoId}, ${args.fullName})`);
}

/**
 * Runs the queued github_event jobs as the worker would (the task's own function, real
 * Postgres), oldest first, and removes them from the queue.
 */
export async function runGithubJobs(db: Db, deps: WebhookDeps) {
	const jobs = await db.execute<{ id: string; key: string }>(
		sql`select id::text, key from graphile_worker.jobs where task_identifier = 'github_event' order by id`
	);
	for (const job of jobs) {
		await processGithubDelivery(deps, job.key.replace(/^github_event:/, ''));
		await db.execute(sql`select graphile_worker.complete_jobs(array[${job.id}::bigint])`);
	}
	return jobs.length;
}

/**
 * What the webhook tests run against: a fresh database with the fake GitHub's App, a project
 * "Hello" (production branch master) linked to the example repository, and the built web server.
 */
export async function startWebhookWorld(label: string) {
	const t = await createTestDatabase(label);
	const fake = await startFakeGithub();
	await seedGithubApp(t.db, fake);
	const deps = pipelineDeps(t.db).deps;
	const alice = await makeUser(t.db, 'Alice');
	const repo = await createGitRepo({ files: sampleApps.node, branch: 'master' });
	const project = await alice.caller.projects.create({
		teamSlug: alice.team.slug,
		name: 'Hello',
		repoUrl: repo.path,
		productionBranch: 'master'
	});
	await linkRepository(t.db, {
		projectId: project.id,
		installationId: 1,
		repoId: EXAMPLE_REPO.id,
		fullName: EXAMPLE_REPO.fullName
	});
	const web = await startWeb(t.url, { SLIPWAY_ALLOW_LOCAL_GIT: '1' });
	return {
		t,
		fake,
		deps,
		web,
		alice,
		projectId: project.id,
		secret: fake.state.app.webhookSecret,
		/** Delivers a signed event, then runs the worker's github_event jobs. */
		async deliverAndRun(event: string, payload: unknown) {
			const reply = await deliver(web.url, event, payload, {
				secret: fake.state.app.webhookSecret
			});
			await runGithubJobs(t.db, deps);
			return reply;
		},
		async stop() {
			await web.stop();
			await fake.close();
			await removeGitRepos();
			await t.drop();
		}
	};
}
