import { sql } from 'drizzle-orm';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/lib/server/config.ts';
import { decryptSecret } from '../../src/lib/server/crypto/secret-box.ts';
import { createCaller } from '../../src/lib/server/trpc/router.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { createGitRepo, removeGitRepos, sampleApps, type GitRepo } from '../helpers/git-repo.ts';
import { makeUser, testKeyring } from '../helpers/world.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let alice: Awaited<ReturnType<typeof makeUser>>;
let bob: Awaited<ReturnType<typeof makeUser>>;
let repo: GitRepo;

beforeAll(async () => {
	t = await createTestDatabase('projects');
	alice = await makeUser(t.db, 'Alice');
	bob = await makeUser(t.db, 'Bob');
	repo = await createGitRepo({ files: sampleApps.node, branch: 'trunk' });
	await repo.commit({ files: { 'CHANGELOG.md': 'v2\n' }, branch: 'release/2' });
});
afterAll(async () => {
	await removeGitRepos();
	await t.drop();
});

const create = (
	input: Record<string, unknown>,
	caller = alice.caller,
	teamSlug = alice.team.slug
) => caller.projects.create({ teamSlug, name: 'App', repoUrl: repo.path, ...input } as never);

const counts = async () =>
	(
		await t.db.execute<{ projects: number; environments: number }>(
			sql`select (select count(*)::int from projects) as projects, (select count(*)::int from environments) as environments`
		)
	)[0];

/** A rejected create: the message must say what to fix, and nothing may be left behind. */
async function expectRefused(call: () => Promise<unknown>, message: RegExp, field?: string) {
	const before = await counts();
	await expect(call()).rejects.toMatchObject({
		code: 'BAD_REQUEST',
		message: expect.stringMatching(message),
		...(field ? { cause: expect.objectContaining({ field }) } : {})
	});
	expect(await counts()).toEqual(before);
}

describe('creating a project', () => {
	it('reads a local repository: default branch, fixed slug and a Production environment', async () => {
		const project = await create({ name: 'Shop Front' });
		expect(project).toMatchObject({
			slug: 'shop-front',
			name: 'Shop Front',
			sourceKind: 'local',
			repoUrl: repo.path,
			productionBranch: 'trunk',
			port: 8000,
			healthCheckPath: '/'
		});
		const details = await alice.caller.projects.get({
			teamSlug: alice.team.slug,
			projectSlug: 'shop-front'
		});
		expect(details.environments).toEqual([
			expect.objectContaining({ name: 'Production', slug: 'production', isProduction: true })
		]);
		expect(details.deploymentCount).toBe(0);
		const list = await alice.caller.projects.list({ teamSlug: alice.team.slug });
		expect(list.map((p) => p.slug)).toContain('shop-front');
	});

	it('accepts a file:// URL and an explicit production branch that exists', async () => {
		const project = await create({
			name: 'From URL',
			repoUrl: repo.fileUrl,
			productionBranch: 'release/2'
		});
		expect(project).toMatchObject({
			slug: 'from-url',
			sourceKind: 'local',
			productionBranch: 'release/2'
		});
	});

	it('gives slugs once per instance: a second "blog" in another team is blog-2', async () => {
		const first = await create({ name: 'Blog' });
		const second = await create({ name: 'blog' }, bob.caller, bob.team.slug);
		expect([first.slug, second.slug]).toEqual(['blog', 'blog-2']);
		// Each team sees only its own blog.
		expect(
			(await bob.caller.projects.list({ teamSlug: bob.team.slug })).map((p) => p.slug)
		).toEqual(['blog-2']);
	});

	it('gives distinct slugs to projects created at the same moment', async () => {
		const created = await Promise.all(
			[alice, bob, alice, bob].map((user) => create({ name: 'Rush' }, user.caller, user.team.slug))
		);
		expect(created.map((p) => p.slug).sort()).toEqual(['rush', 'rush-2', 'rush-3', 'rush-4']);
	});

	it('keeps the slug when the project is renamed, so URLs stay stable', async () => {
		const project = await create({ name: 'Landing' });
		const renamed = await alice.caller.projects.update({
			teamSlug: alice.team.slug,
			projectSlug: project.slug,
			name: 'Marketing Site',
			productionBranch: 'trunk'
		});
		expect(renamed).toMatchObject({ slug: 'landing', name: 'Marketing Site' });
		const details = await alice.caller.projects.get({
			teamSlug: alice.team.slug,
			projectSlug: 'landing'
		});
		expect(details.name).toBe('Marketing Site');
	});

	it('makes a URL-safe slug from a name without Latin letters', async () => {
		const project = await create({ name: '日本語' });
		expect(project.slug).toMatch(/^[a-z0-9-]+$/);
		expect(
			project.slug,
			'slugify() falls back to "team" (a team slug), so freeProjectSlug never reaches its "app" fallback'
		).not.toBe('team');
	});

	it('clamps CPU and memory above the instance maximum', async () => {
		const project = await create({ name: 'Greedy', cpuMillicores: 64000, memoryMb: 200000 });
		expect(project).toMatchObject({ cpuMillicores: 2000, memoryMb: 2048 });
		await t.db.execute(
			sql`update instance_settings set max_cpu_millicores = 1500, max_memory_mb = 1024 where id = 1`
		);
		try {
			const updated = await alice.caller.projects.update({
				teamSlug: alice.team.slug,
				projectSlug: project.slug,
				productionBranch: 'trunk',
				cpuMillicores: 4000,
				memoryMb: 4096
			});
			expect(updated).toMatchObject({ cpuMillicores: 1500, memoryMb: 1024 });
			const modest = await create({ name: 'Modest', cpuMillicores: 500, memoryMb: 256 });
			expect(modest).toMatchObject({ cpuMillicores: 500, memoryMb: 256 });
		} finally {
			await t.db.execute(
				sql`update instance_settings set max_cpu_millicores = 2000, max_memory_mb = 2048 where id = 1`
			);
		}
	});
});

describe('refusing bad input, with nothing created', () => {
	it('refuses a root directory that leaves the repository', async () => {
		await expectRefused(
			() => create({ name: 'Escape', rootDirectory: '../etc' }),
			/must stay inside the repository/,
			'rootDirectory'
		);
		await expectRefused(
			() => create({ name: 'Escape', rootDirectory: 'apps/../../etc' }),
			/must stay inside the repository/,
			'rootDirectory'
		);
	});

	it('refuses file:// and local paths when local Git is not allowed', async () => {
		const config = parseConfig({
			DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
			SLIPWAY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
			SLIPWAY_ALLOW_LOCAL_GIT: '0',
			SLIPWAY_WORK_DIR: '/tmp/slipway-test'
		});
		const strict = createCaller({
			db: t.db,
			keyring: testKeyring,
			config,
			user: {
				id: alice.user.id,
				email: alice.user.email,
				name: alice.user.name,
				isInstanceAdmin: alice.user.isInstanceAdmin
			},
			sessionId: alice.session.id,
			tokenTeamId: null,
			ip: '127.0.0.1',
			userAgent: 'vitest'
		});
		for (const repoUrl of [repo.fileUrl, repo.path]) {
			await expectRefused(
				() => create({ name: 'Local', repoUrl }, strict),
				/Local repositories are disabled/,
				'repoUrl'
			);
			await expect(
				strict.projects.detect({ teamSlug: alice.team.slug, repoUrl })
			).rejects.toMatchObject({
				code: 'BAD_REQUEST',
				message: expect.stringMatching(/Local repositories are disabled/)
			});
		}
	});

	it('refuses a repository path that does not exist', async () => {
		await expectRefused(
			() => create({ name: 'Ghost', repoUrl: '/tmp/slipway-no-such-repo/app.git' }),
			/No repository at/
		);
	});

	it('refuses an unreachable host quickly, saying it could not connect', async () => {
		const started = Date.now();
		await expectRefused(
			() => create({ name: 'Far', repoUrl: 'https://127.0.0.1:1/x.git' }),
			/Could not connect to https:\/\/127\.0\.0\.1:1\/x\.git/
		);
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('refuses production branches with spaces or non-ASCII characters', async () => {
		await expectRefused(
			() => create({ name: 'Spaces', productionBranch: 'my branch' }),
			/Branch names cannot contain spaces/,
			'productionBranch'
		);
		await expectRefused(
			() => create({ name: 'Unicode', productionBranch: 'fëature' }),
			/Branch names may only use ASCII/,
			'productionBranch'
		);
		await expectRefused(
			() => create({ name: 'Dots', productionBranch: 'a..b' }),
			/Branch names cannot contain "\.\."/,
			'productionBranch'
		);
	});

	it('refuses a production branch that does not exist in the repository', async () => {
		await expectRefused(
			() => create({ name: 'Missing', productionBranch: 'nope' }),
			/Branch nope does not exist in app/,
			'productionBranch'
		);
	});

	it('refuses URLs that carry credentials or plain http', async () => {
		await expectRefused(
			() => create({ name: 'Creds', repoUrl: 'https://user:ghp_secret@github.com/acme/shop' }),
			/Remove the user name and password/,
			'repoUrl'
		);
		await expectRefused(
			() => create({ name: 'Plain', repoUrl: 'http://github.com/acme/shop' }),
			/Plain http:\/\/ is not allowed/,
			'repoUrl'
		);
	});

	it('refuses a Dockerfile path outside the root directory and normalises a good one', async () => {
		await expectRefused(
			() => create({ name: 'Docker Escape', dockerfilePath: '../../etc/Dockerfile' }),
			/inside the repository|root directory/i,
			'dockerfilePath'
		);
		const project = await create({ name: 'Docker Path', dockerfilePath: './docker/Dockerfile' });
		// The build looks the path up in the repository's file list, where it is docker/Dockerfile.
		expect(project.dockerfilePath).toBe('docker/Dockerfile');
	});

	it('refuses the same bad input when settings are updated', async () => {
		const project = await create({ name: 'Steady' });
		const update = (input: Record<string, unknown>) =>
			alice.caller.projects.update({
				teamSlug: alice.team.slug,
				projectSlug: project.slug,
				productionBranch: 'trunk',
				...input
			} as never);
		await expect(update({ rootDirectory: '../x' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/must stay inside the repository/)
		});
		await expect(update({ productionBranch: 'two words' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/cannot contain spaces/)
		});
		await expect(update({ healthCheckPath: 'healthz' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/Start the path with \//)
		});
		const after = await alice.caller.projects.get({
			teamSlug: alice.team.slug,
			projectSlug: project.slug
		});
		expect(after).toMatchObject({
			rootDirectory: '',
			productionBranch: 'trunk',
			healthCheckPath: '/'
		});
	});
});

describe('settings', () => {
	it('saves every setting and normalises the root directory', async () => {
		const project = await create({ name: 'Configured' });
		const updated = await alice.caller.projects.update({
			teamSlug: alice.team.slug,
			projectSlug: project.slug,
			productionBranch: 'release/2',
			rootDirectory: './apps/web/',
			preset: 'node',
			installCommand: 'npm ci',
			buildCommand: 'npm run build',
			startCommand: 'node server.js',
			port: 3000,
			healthCheckPath: '/healthz',
			autoDeploy: false,
			previewsEnabled: false
		});
		expect(updated).toMatchObject({
			productionBranch: 'release/2',
			rootDirectory: 'apps/web',
			preset: 'node',
			installCommand: 'npm ci',
			buildCommand: 'npm run build',
			startCommand: 'node server.js',
			port: 3000,
			healthCheckPath: '/healthz',
			autoDeploy: false,
			previewsEnabled: false
		});
	});

	it('changes only what an update sends (an API client changing the port keeps the rest)', async () => {
		const project = await create({
			name: 'Partial',
			startCommand: 'node server.js',
			healthCheckPath: '/healthz',
			autoDeploy: false,
			previewsEnabled: false
		});
		const updated = await alice.caller.projects.update({
			teamSlug: alice.team.slug,
			projectSlug: project.slug,
			productionBranch: 'trunk',
			port: 3000
		});
		expect(
			updated,
			'projects.update resets the start command, health check, auto-deploy and previews it was not sent'
		).toMatchObject({
			port: 3000,
			startCommand: 'node server.js',
			healthCheckPath: '/healthz',
			autoDeploy: false,
			previewsEnabled: false
		});
	});
});

describe('detecting the preset', () => {
	const detect = (r: GitRepo, extra: { branch?: string; rootDirectory?: string } = {}) =>
		alice.caller.projects.detect({ teamSlug: alice.team.slug, repoUrl: r.path, ...extra });

	it('recognises a Node app with package-lock.json', async () => {
		const result = await detect(repo);
		expect(result).toMatchObject({
			defaultBranch: 'trunk',
			branch: 'trunk',
			needsDeployKey: false,
			detected: {
				preset: 'node',
				label: 'Node.js (npm)',
				installCommand: 'npm ci',
				startCommand: 'node server.js'
			}
		});
	});

	it('recognises a Python (Flask) app', async () => {
		const python = await createGitRepo({ files: sampleApps.python });
		const result = await detect(python);
		expect(result.detected).toMatchObject({ preset: 'python', label: 'Python (Flask)' });
		expect(result.detected?.installCommand).toMatch(/requirements\.txt/);
		expect(result.detected?.startCommand).toMatch(/app:app/);
	});

	it('recognises a static site and a Dockerfile', async () => {
		const site = await createGitRepo({ files: sampleApps.static });
		expect((await detect(site)).detected).toMatchObject({ preset: 'static', label: 'Static site' });
		const docker = await createGitRepo({
			files: { ...sampleApps.dockerfile, 'package.json': '{}' }
		});
		// A Dockerfile wins over package.json: it says the most about how to build.
		expect((await detect(docker)).detected).toMatchObject({ preset: 'dockerfile' });
	});

	it('looks inside the root directory of a monorepo, on the branch asked for', async () => {
		const mono = await createGitRepo({ files: { 'README.md': '# mono\n' } });
		await mono.commit({
			branch: 'next',
			files: Object.fromEntries(
				Object.entries(sampleApps.python).map(([path, text]) => [`services/api/${path}`, text])
			)
		});
		const result = await detect(mono, { branch: 'next', rootDirectory: './services/api/' });
		expect(result).toMatchObject({ defaultBranch: 'main', branch: 'next' });
		expect(result.detected).toMatchObject({ preset: 'python' });
		// On main the folder does not exist: say so instead of guessing "Unknown".
		await expect(detect(mono, { rootDirectory: 'services/api' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message:
				'The root directory services/api does not exist on main. Fix it in the project settings.'
		});
		expect((await detect(mono)).detected).toMatchObject({ preset: null, label: 'Unknown' });
	});

	it('refuses a root directory that is a symlink out of the checkout', async () => {
		// The build context is cut from the root directory: through a link it would be a host folder.
		const outside = await mkdtemp(join(tmpdir(), 'slipway-outside-'));
		try {
			await writeFile(join(outside, 'index.html'), '<h1>a file of the host</h1>');
			const sneaky = await createGitRepo({
				files: {
					'README.md': 'links\n',
					absolute: { symlink: outside },
					relative: { symlink: `../${basename(outside)}` }
				}
			});
			for (const rootDirectory of ['absolute', 'relative']) {
				const outcome = await detect(sneaky, { rootDirectory }).then(
					(result) => `read ${outside} through ${rootDirectory}: ${result.detected?.label}`,
					(error) => [error.code, error.message].join(' ')
				);
				expect(outcome).toMatch(/^BAD_REQUEST .*(inside the repository|link)/i);
			}
		} finally {
			await rm(outside, { recursive: true, force: true });
		}
	});

	it('gives the same clear errors as create', async () => {
		await expect(detect(repo, { rootDirectory: '../..' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/must stay inside the repository/)
		});
		await expect(detect(repo, { branch: 'my branch' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/cannot contain spaces/)
		});
		await expect(detect(repo, { branch: 'nope' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/nope does not exist/)
		});
		await expect(
			alice.caller.projects.detect({
				teamSlug: alice.team.slug,
				repoUrl: 'https://127.0.0.1:1/x.git'
			})
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/Could not connect/)
		});
	});

	it('only classifies an SSH repository: it needs the deploy key first', async () => {
		const result = await alice.caller.projects.detect({
			teamSlug: alice.team.slug,
			repoUrl: 'git@github.com:acme/shop.git'
		});
		expect(result).toMatchObject({ needsDeployKey: true, detected: null, source: { kind: 'ssh' } });
	});
});

describe('SSH repositories', () => {
	it('generates a deploy key whose private half never leaves the server', async () => {
		const project = await create({ name: 'Private', repoUrl: 'git@github.com:acme/private.git' });
		expect(project).toMatchObject({ sourceKind: 'ssh', productionBranch: 'main' });
		expect(project.deployKeyPublic).toMatch(/^ssh-ed25519 [A-Za-z0-9+/=]+ slipway Private$/);

		const [row] = await t.db.execute<{ sealed: string }>(
			sql`select deploy_key_sealed as sealed from projects where id = ${project.id}`
		);
		expect(row.sealed).toMatch(/^v1\./);
		const privateKey = decryptSecret({ keyring: testKeyring, sealed: row.sealed });
		expect(privateKey).toContain('BEGIN OPENSSH PRIVATE KEY');

		const responses = [
			project,
			await alice.caller.projects.get({ teamSlug: alice.team.slug, projectSlug: project.slug }),
			await alice.caller.projects.list({ teamSlug: alice.team.slug }),
			await alice.caller.projects.update({
				teamSlug: alice.team.slug,
				projectSlug: project.slug,
				productionBranch: 'main',
				port: 9000
			})
		];
		for (const response of responses) {
			const text = JSON.stringify(response);
			expect(text).toContain(project.deployKeyPublic!.split(' ')[1]);
			expect(text).not.toContain(row.sealed);
			expect(text).not.toContain('deployKeySealed');
			expect(text).not.toContain('PRIVATE KEY');
		}
	});

	it('gives each SSH project its own key', async () => {
		const one = await create({
			name: 'Key One',
			repoUrl: 'ssh://git@git.example.com:2222/team/one'
		});
		const two = await create({
			name: 'Key Two',
			repoUrl: 'ssh://git@git.example.com:2222/team/two'
		});
		expect(one.deployKeyPublic).not.toBe(two.deployKeyPublic);
	});

	it('still checks the branch name of an SSH project', async () => {
		await expectRefused(
			() =>
				create({
					name: 'Bad SSH',
					repoUrl: 'git@github.com:acme/shop.git',
					productionBranch: 'über'
				}),
			/ASCII/,
			'productionBranch'
		);
	});
});

describe('deleting a project', () => {
	it('asks for the exact name, then removes it and queues the clean-up of its resources', async () => {
		const project = await create({ name: 'Doomed' });
		const input = { teamSlug: alice.team.slug, projectSlug: project.slug };
		await expect(
			alice.caller.projects.delete({ ...input, confirmName: 'doomed' })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: 'Type the project name, Doomed, to confirm.'
		});
		expect((await alice.caller.projects.get(input)).name).toBe('Doomed');

		expect(await alice.caller.projects.delete({ ...input, confirmName: 'Doomed' })).toEqual({
			ok: true
		});
		await expect(alice.caller.projects.get(input)).rejects.toMatchObject({ code: 'NOT_FOUND' });
		const [left] = await t.db.execute<{ n: number }>(
			sql`select count(*)::int as n from environments where project_id = ${project.id}`
		);
		expect(left.n).toBe(0);
		const jobs = await t.db.execute<{ payload: { projectId: string }; max_attempts: number }>(
			sql`select p.payload, j.max_attempts from graphile_worker.jobs j
				join graphile_worker._private_jobs p on p.id = j.id
				where j.task_identifier = 'remove_project_resources'`
		);
		expect(jobs.map((j) => j.payload)).toContainEqual({
			projectId: project.id,
			projectSlug: project.slug
		});
	});
});
