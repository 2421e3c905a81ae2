import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeProjectResources } from '../../src/lib/server/deployments/cleanup.ts';
import { createTestDatabase } from '../helpers/db.ts';
import {
	deployNow,
	getFromDeployment,
	pipelineDeps,
	projectFromFixture,
	trustHostCertificates
} from '../helpers/deploy.ts';
import { makeUser } from '../helpers/world.ts';
import { setEnvVar } from '../../src/lib/server/env-vars/store.ts';
import { testKeyring } from '../helpers/world.ts';
import { execFileSync } from 'node:child_process';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let owner: Awaited<ReturnType<typeof makeUser>>;
const projects: { projectId: string; projectSlug: string }[] = [];
let ctx: ReturnType<typeof pipelineDeps>;

beforeAll(async () => {
	t = await createTestDatabase('pipeline');
	owner = await makeUser(t.db, 'Deployer');
	await trustHostCertificates(t.db);
	ctx = pipelineDeps(t.db);
});
afterAll(async () => {
	ctx?.collector.stopAll();
	for (const p of projects) await removeProjectResources(p).catch(() => {});
	await t.drop();
});

async function deployFixture(
	app: string,
	options: Parameters<typeof projectFromFixture>[0]['settings'] = {},
	files = {}
) {
	const { project, repo } = await projectFromFixture({
		db: t.db,
		teamId: owner.team.id,
		userId: owner.user.id,
		app,
		settings: options,
		files
	});
	projects.push({ projectId: project.id, projectSlug: project.slug });
	return { project, repo, deployment: await deployNow(ctx.deps, project.id) };
}

describe('sample apps deploy to ready', { timeout: 300_000 }, () => {
	it('Node app with a dependency: ready, answers 200, sees injected and user env, not as root', async () => {
		const { project, repo } = await projectFromFixture({
			db: t.db,
			teamId: owner.team.id,
			userId: owner.user.id,
			app: 'node-hello'
		});
		projects.push({ projectId: project.id, projectSlug: project.slug });
		await setEnvVar({
			db: t.db,
			keyring: testKeyring,
			projectId: project.id,
			scope: { environmentId: null, branch: null },
			key: 'GREETING',
			value: 'hi there',
			isSecret: true,
			isBuildTime: false
		});
		const d = await deployNow(ctx.deps, project.id);
		expect(d.state, d.logText).toBe('ready');
		expect(d.commitSha).toBe(repo.commits[0]);
		const root = await getFromDeployment(d.hostPort, '/');
		expect(root.status).toBe(200);
		expect(JSON.parse(root.text)).toMatchObject({ hello: 'node-hello', build: { msWorks: true } });
		const env = JSON.parse((await getFromDeployment(d.hostPort, '/env')).text);
		expect(env).toMatchObject({
			PORT: '8000',
			SLIPWAY: '1',
			SLIPWAY_ENVIRONMENT: 'production',
			SLIPWAY_DEPLOYMENT_ID: d.id,
			SLIPWAY_GIT_BRANCH: 'main',
			SLIPWAY_GIT_COMMIT_SHA: repo.commits[0],
			GREETING: 'hi there'
		});
		expect(env.SLIPWAY_URL).toMatch(/^http:\/\/node-hello\./);
		// Hardening as the user would check it with docker inspect.
		const inspect = JSON.parse(execFileSync('docker', ['inspect', d.containerId!]).toString())[0];
		expect(inspect.Config.User).toBe('10001:10001');
		expect(inspect.HostConfig.CapDrop).toEqual(['ALL']);
		expect(inspect.HostConfig.SecurityOpt).toContain('no-new-privileges');
		expect(inspect.HostConfig.PidsLimit).toBeGreaterThan(0);
		expect(inspect.HostConfig.Memory).toBe(512 * 1024 * 1024);
		expect(inspect.HostConfig.RestartPolicy.Name).toBe('unless-stopped');
		expect(inspect.HostConfig.PortBindings['8000/tcp'][0].HostIp).toBe('127.0.0.1');
		// The secret never reaches the image (only the container's runtime env).
		const history = execFileSync('docker', ['history', '--no-trunc', d.image!]).toString();
		expect(history).not.toContain('hi there');

		// Redeploy with an unchanged lockfile: the dependency layer comes from the cache.
		await repo.commit({
			files: {
				'server.js':
					(await import('node:fs')).readFileSync(`${repo.path}/server.js`, 'utf8') + '\n// v2\n'
			},
			message: 'Second version'
		});
		const second = await deployNow(ctx.deps, project.id);
		expect(second.state, second.logText).toBe('ready');
		const installStep = second.logText.match(
			/Step \d+\/\d+ : RUN[^\n]*npm ci[^\n]*\n\[build\] ([^\n]*)/
		);
		expect(installStep?.[1], second.logText).toMatch(/Using cache/);
		expect(second.commitMessage).toBe('Second version');
	});

	it('Python app (standard library)', async () => {
		const { deployment: d } = await deployFixture('python-hello');
		expect(d.state, d.logText).toBe('ready');
		expect((await getFromDeployment(d.hostPort)).status).toBe(200);
		expect(
			JSON.parse((await getFromDeployment(d.hostPort, '/env')).text).SLIPWAY_DEPLOYMENT_ID
		).toBe(d.id);
	});

	it("an app built from the repository's own Dockerfile", async () => {
		const files = await import('../helpers/deploy.ts').then((m) =>
			m.fixtureFiles('dockerfile-hello')
		);
		// Offline here: the Dockerfile's default base image comes from a registry; point it at the local one.
		const dockerfile = files.Dockerfile.replace(/ARG BASE=.*/, 'ARG BASE=slipway/base-node:24');
		const { deployment: d } = await deployFixture(
			'dockerfile-hello',
			{},
			{ Dockerfile: dockerfile }
		);
		expect(d.state, d.logText).toBe('ready');
		expect(d.logText).toMatch(/Detected Dockerfile/);
		expect((await getFromDeployment(d.hostPort)).status).toBe(200);
	});

	it('a static site', async () => {
		const { deployment: d } = await deployFixture('static-site');
		expect(d.state, d.logText).toBe('ready');
		const page = await getFromDeployment(d.hostPort, '/');
		expect(page.status).toBe(200);
		expect(page.text).toMatch(/<html/i);
		expect((await getFromDeployment(d.hostPort, '/missing')).status).toBe(404);
	});
});
