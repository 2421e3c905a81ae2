import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentLogs } from '../../src/lib/server/db/schema/index.ts';
import { fetchSource } from '../../src/lib/server/git/remote.ts';
import { loadGithubApp } from '../../src/lib/server/github/app.ts';
import { githubGitAccess } from '../../src/lib/server/github/clone.ts';
import { deployNow } from '../helpers/deploy.ts';
import { seedGithubApp } from '../helpers/fake-github/seed.ts';
import { HERS, startInstallWorld } from '../helpers/github-installs.ts';
import { testKeyring } from '../helpers/world.ts';

// Deploying an imported private repository: git fetches it from (fake) GitHub with a short-lived
// installation token, which must end up nowhere; and the fetch fails with what to do.

let world: Awaited<ReturnType<typeof startInstallWorld>>;
let t: typeof world.t;
let fake: typeof world.fake;
let repo: typeof world.repo;
let ctx: Awaited<ReturnType<typeof world.pipeline>>;
let projectId: string;

beforeAll(async () => {
	world = await startInstallWorld('gh_clone');
	({ t, fake, repo } = world);
	ctx = await world.pipeline();
	await world.linkToAlice(HERS);
	projectId = (await world.importSite()).id;
}, 60_000);
afterAll(() => world?.stop());

describe('deploying a GitHub project', { timeout: 300_000 }, () => {
	it('deploys from the GitHub git server to ready; the token reaches no log, container or image', async () => {
		const tokensBefore = fake.state.installationTokens.size;
		const deployment = await deployNow(ctx.deps, projectId);
		expect(deployment.state, deployment.logText).toBe('ready');
		expect(deployment.commitSha).toBe(repo.commits.at(-1));

		// A fresh token limited to this one repository and to reading it.
		const issued = [...fake.state.installationTokens.values()].slice(tokensBefore);
		expect(issued.length).toBeGreaterThan(0);
		const cloneTokens = issued.filter((x) => x.repositoryIds?.length === 1);
		expect(cloneTokens.at(-1)).toMatchObject({
			installationId: HERS,
			repositoryIds: [7001],
			permissions: { contents: 'read', metadata: 'read' }
		});
		// git really fetched with it.
		expect(fake.requests.some((r) => r.path.startsWith('/alice-gh/site.git/'))).toBe(true);

		const secrets = [...fake.state.installationTokens.keys()];
		const basic = secrets.map((s) => Buffer.from(`x-access-token:${s}`).toString('base64'));
		const leaks = (text: string) => [...secrets, ...basic].filter((s) => text.includes(s));

		const logs = await t.db
			.select()
			.from(deploymentLogs)
			.where(eq(deploymentLogs.deploymentId, deployment.id));
		expect(leaks(logs.map((l) => l.line).join('\n'))).toEqual([]);

		const container = execFileSync('docker', ['inspect', deployment.containerId!]).toString();
		expect(leaks(container)).toEqual([]);
		const image = execFileSync('docker', ['image', 'inspect', deployment.image!]).toString();
		expect(leaks(image)).toEqual([]);
		const history = execFileSync('docker', ['history', '--no-trunc', deployment.image!]).toString();
		expect(leaks(history)).toEqual([]);
		// Every file of the image (the build context went into it).
		const exported = execFileSync(
			'sh',
			[
				'-c',
				`id=$(docker create ${deployment.image}) && docker export $id; docker rm $id >/dev/null`
			],
			{ maxBuffer: 1024 * 1024 * 1024 }
		);
		expect(exported.length).toBeGreaterThan(1000);
		expect(secrets.filter((s) => exported.includes(s))).toEqual([]);
	});

	it('leaves no token in the checkout git makes (the build context)', async () => {
		const app = (await loadGithubApp(t.db, testKeyring))!;
		const access = await githubGitAccess(app, { installationId: HERS, repoId: 7001 });
		const dir = await mkdtemp(join(tmpdir(), 'ghinst-ctx-'));
		try {
			await fetchSource({
				url: `${fake.url}/alice-gh/site.git`,
				ref: { branch: repo.branch },
				dir,
				access: { allowLocal: false, homeDir: join(dir, '..', 'ghinst-home'), ...access }
			});
			const token = Buffer.from(access.httpAuthorization!.replace(/^Basic /, ''), 'base64')
				.toString()
				.split(':')[1];
			const files = await readdir(dir, { recursive: true, withFileTypes: true });
			expect(files.some((f) => f.name === 'index.html')).toBe(true);
			for (const f of files.filter((x) => x.isFile())) {
				const content = await readFile(join(f.parentPath, f.name));
				expect(content.includes(token), join(f.parentPath, f.name)).toBe(false);
			}
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('fails at fetch with what to do when the App lost the repository', async () => {
		const inst = fake.state.installations.get(HERS)!;
		const saved = inst.repos;
		inst.repos = saved.filter((r) => r.id !== 7001);
		try {
			const deployment = await deployNow(ctx.deps, projectId);
			expect(deployment.state).toBe('failed');
			expect(deployment.failureStage).toBe('fetch');
			expect(deployment.failureReason).toContain('alice-gh/site');
			expect(deployment.failureReason).toContain(
				'Install the App again or grant it the repository'
			);
			expect(deployment.failureReason).toContain('Reconnect');
		} finally {
			inst.repos = saved;
		}
	});

	it('fails at fetch when GitHub cannot be reached', async () => {
		await seedGithubApp(t.db, fake, { apiUrl: 'http://127.0.0.1:9/api/v3' });
		try {
			const deployment = await deployNow(ctx.deps, projectId);
			expect(deployment.state).toBe('failed');
			expect(deployment.failureStage).toBe('fetch');
			expect(deployment.failureReason).toContain('GitHub could not be reached');
		} finally {
			await seedGithubApp(t.db, fake);
		}
	});
});
