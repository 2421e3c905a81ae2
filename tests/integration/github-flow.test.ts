import { createHmac, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments, projectGithubRepos, projects } from '../../src/lib/server/db/schema/index.ts';
import { removeProjectResources } from '../../src/lib/server/deployments/cleanup.ts';
import { cloneUrl } from '../../src/lib/server/github/clone.ts';
import { startTestCaddy, type TestCaddy } from '../helpers/caddy.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { projectFromFixture, trustHostCertificates, waitFor } from '../helpers/deploy.ts';
import { seedGithubApp } from '../helpers/fake-github/seed.ts';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github/server.ts';
import { startWeb, startWorker, type RunningProcess } from '../helpers/server.ts';
import { makeUser } from '../helpers/world.ts';

/**
 * The whole GitHub path as users run it, processes and all: GitHub sends a signed `push` to the
 * web server, the worker fetches the commit from GitHub with an installation token, builds,
 * starts and routes it, and reports back: the commit gets a `success` status pointing at the
 * deployment page. GitHub is the fake in tests/helpers/fake-github (recorded request shapes).
 */
const require = createRequire(import.meta.url);
const examplesPath = require.resolve('@octokit/webhooks-examples/api.github.com/index.json');

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let fake: FakeGithub;
let caddy: TestCaddy;
let web: RunningProcess | undefined;
let worker: RunningProcess | undefined;
let owner: Awaited<ReturnType<typeof makeUser>>;
let fixture: Awaited<ReturnType<typeof projectFromFixture>>;
const REPO = { id: 470001, fullName: 'acme/shop' };

beforeAll(async () => {
	t = await createTestDatabase('github_flow');
	owner = await makeUser(t.db, 'Octo');
	await trustHostCertificates(t.db);
	fake = await startFakeGithub();
	caddy = await startTestCaddy();
	fixture = await projectFromFixture({
		db: t.db,
		teamId: owner.team.id,
		userId: owner.user.id,
		app: 'node-hello',
		settings: { name: 'shop' }
	});
	fake.addInstallation({
		id: 9001,
		account: { login: 'acme', id: 77, type: 'Organization' },
		repos: [{ ...REPO, private: true, defaultBranch: 'main', gitPath: fixture.repo.path }]
	});
	await seedGithubApp(t.db, fake);
	// The project now deploys the private repository on (fake) GitHub, not the local path.
	await t.db
		.update(projects)
		.set({ sourceKind: 'github', repoUrl: cloneUrl({ webUrl: fake.url }, REPO.fullName) })
		.where(eq(projects.id, fixture.project.id));
	await t.db.insert(projectGithubRepos).values({
		projectId: fixture.project.id,
		installationId: 9001,
		repoId: REPO.id,
		fullName: REPO.fullName
	});
	web = await startWeb(t.url);
	worker = await startWorker(t.url, {
		...Object.fromEntries(Object.entries(caddy.cfg).map(([k, v]) => [k, String(v)])),
		ORIGIN: web.url,
		SLIPWAY_WORK_DIR: '/tmp/slipway-test',
		HEALTH_CHECK_TIMEOUT_SECONDS: '60'
	});
}, 180_000);

afterAll(async () => {
	await worker?.stop().catch(() => {});
	await web?.stop().catch(() => {});
	if (fixture) {
		await removeProjectResources({
			projectId: fixture.project.id,
			projectSlug: fixture.project.slug
		}).catch(() => {});
	}
	await caddy?.stop();
	await fake?.close();
	await t?.drop();
});

/** GitHub's recorded `push` example, pointed at our repository and commit. */
async function pushPayload(sha: string, message: string) {
	const examples = JSON.parse(await readFile(examplesPath, 'utf8')) as {
		name: string;
		examples: Record<string, unknown>[];
	}[];
	const push = structuredClone(
		examples
			.find((e) => e.name === 'push')!
			.examples.find((p) => p.deleted === false && String(p.ref).startsWith('refs/heads/'))!
	) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
	push.ref = 'refs/heads/main';
	push.after = sha;
	push.head_commit = { ...push.head_commit, id: sha, message };
	push.repository = {
		...push.repository,
		id: REPO.id,
		name: 'shop',
		full_name: REPO.fullName,
		clone_url: cloneUrl({ webUrl: fake.url }, REPO.fullName)
	};
	push.installation = { id: 9001, node_id: 'I_1' };
	return JSON.stringify(push);
}

function sign(body: string) {
	return `sha256=${createHmac('sha256', fake.state.app.webhookSecret).update(body).digest('hex')}`;
}

describe('a push on GitHub', () => {
	it('deploys the commit and reports success on it', async () => {
		const sha = await fixture.repo.commit({
			files: { 'CHANGELOG.md': 'pushed\n' },
			message: 'Ship the shop'
		});
		const body = await pushPayload(sha, 'Ship the shop');
		const started = performance.now();
		const res = await fetch(`${web!.url}/api/webhooks/github`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-github-event': 'push',
				'x-github-delivery': randomUUID(),
				'x-hub-signature-256': sign(body)
			},
			body
		});
		const answeredMs = performance.now() - started;
		expect(res.status).toBe(202);
		console.log(`webhook answered in ${answeredMs.toFixed(0)} ms`);

		const ready = await waitFor(
			() =>
				t.db
					.select()
					.from(deployments)
					.where(eq(deployments.projectId, fixture.project.id))
					.then((rows) => rows[0]),
			(d) => d?.state === 'ready' || d?.state === 'failed',
			150_000
		);
		expect(ready).toMatchObject({
			state: 'ready',
			trigger: 'push',
			branch: 'main',
			commitSha: sha
		});

		// Fetched from GitHub with a token limited to this repository, reading contents only.
		const tokens = [...fake.state.installationTokens.values()];
		const cloneTokenIssued = tokens.find((x) => x.repositoryIds?.includes(REPO.id));
		expect(cloneTokenIssued?.permissions).toMatchObject({ contents: 'read' });
		expect(fake.calls('POST', '/acme/shop.git/git-upload-pack').length).toBeGreaterThan(0);
		// The token is in no log line of the deployment.
		const logs = await t.db.execute<{ n: number }>(
			sql`select count(*)::int as n from deployment_logs where deployment_id = ${ready.id}
				and line like ${`%${cloneTokenIssued!.token}%`}`
		);
		expect(logs[0].n).toBe(0);

		// Reported back: pending first, then success pointing at the deployment page.
		const statuses = await waitFor(
			async () =>
				fake
					.calls('POST', `/api/v3/repos/acme/shop/statuses/${sha}`)
					.map((c) => c.body as { state: string; target_url: string }),
			(list) => list.some((s) => s.state === 'success'),
			60_000
		);
		expect(statuses[0].state).toBe('pending');
		const success = statuses.find((s) => s.state === 'success')!;
		expect(success.target_url).toContain(`/deployments/${ready.id}`);
	}, 240_000);
});
