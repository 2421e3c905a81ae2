import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { CreateProjectInput } from '../../src/lib/schemas/project.ts';
import type { Db } from '../../src/lib/server/db/client.ts';
import {
	deploymentLogs,
	deployments,
	instanceSettings
} from '../../src/lib/server/db/schema/index.ts';
import { createDeployment } from '../../src/lib/server/deployments/create.ts';
import { runDeployment, type PipelineDeps } from '../../src/lib/server/deployments/pipeline/run.ts';
import { Semaphore } from '../../src/lib/server/deployments/pipeline/semaphore.ts';
import { createProject } from '../../src/lib/server/projects/create.ts';
import { loadInstanceSettings } from '../../src/lib/server/projects/limits.ts';
import { LogCollector } from '../../src/worker/log-collector.ts';
import { createGitRepo, type GitRepo } from './git-repo.ts';
import { testConfig, testKeyring } from './world.ts';

const fixtures = new URL('../fixtures/apps/', import.meta.url).pathname;

/** The files of tests/fixtures/apps/<name>, ready to commit into a test repository. */
export async function fixtureFiles(name: string): Promise<Record<string, string>> {
	const dir = join(fixtures, name);
	const files: Record<string, string> = {};
	for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
		if (!entry.isFile()) continue;
		const path = join(entry.parentPath, entry.name);
		files[path.slice(dir.length + 1)] = await readFile(path, 'utf8');
	}
	return files;
}

/** Builds trust the host's CA bundle: the npm registry is reached through a TLS-intercepting proxy. */
export async function trustHostCertificates(db: Db): Promise<void> {
	await loadInstanceSettings(db);
	const pem = await readFile('/etc/ssl/certs/ca-certificates.crt', 'utf8').catch(() => null);
	await db.update(instanceSettings).set({ extraCaCertificates: pem });
}

export function pipelineDeps(db: Db, overrides: Partial<PipelineDeps['cfg']> = {}) {
	const collector = new LogCollector(db);
	const deps: PipelineDeps = {
		db,
		keyring: testKeyring,
		cfg: { ...testConfig, HEALTH_CHECK_TIMEOUT_SECONDS: 30, ...overrides },
		buildSlots: new Semaphore(2),
		collectLogs: (d) => collector.attach(d)
	};
	return { deps, collector };
}

/** A project of `teamId` made from a fixture app committed into a fresh local repository. */
export async function projectFromFixture(args: {
	db: Db;
	teamId: string;
	userId: string;
	app: string;
	files?: Record<string, string | null>;
	settings?: Partial<CreateProjectInput>;
}): Promise<{ project: Awaited<ReturnType<typeof createProject>>; repo: GitRepo }> {
	const repo = await createGitRepo({
		files: { ...(await fixtureFiles(args.app)), ...args.files } as Record<string, string>
	});
	const project = await createProject(
		{
			db: args.db,
			keyring: testKeyring,
			allowLocalGit: true,
			gitHome: '/tmp/slipway-test/git-home'
		},
		{
			teamId: args.teamId,
			actorId: args.userId,
			input: {
				name: args.app,
				repoUrl: repo.path,
				port: 8000,
				healthCheckPath: '/',
				rootDirectory: '',
				autoDeploy: true,
				previewsEnabled: true,
				...args.settings
			}
		}
	);
	return { project, repo };
}

/** Creates a deployment and runs its whole pipeline in this process. */
export async function deployNow(deps: PipelineDeps, projectId: string, branch?: string) {
	const created = await createDeployment(
		{ db: deps.db, keyring: deps.keyring },
		{ projectId, branch, trigger: 'manual' }
	);
	await runDeployment(deps, { deploymentId: created.id });
	return readDeployment(deps.db, created.id);
}

export async function readDeployment(db: Db, id: string) {
	const [row] = await db.select().from(deployments).where(eq(deployments.id, id));
	const logs = await db
		.select()
		.from(deploymentLogs)
		.where(eq(deploymentLogs.deploymentId, id))
		.orderBy(asc(deploymentLogs.id));
	return { ...row, logs, logText: logs.map((l) => `[${l.stream}] ${l.line}`).join('\n') };
}

/** GET a path of a ready deployment through its published port. */
export async function getFromDeployment(hostPort: number | null, path = '/') {
	if (!hostPort) throw new Error('deployment has no published port');
	const res = await fetch(`http://127.0.0.1:${hostPort}${path}`);
	return { status: res.status, text: await res.text() };
}

/** Polls `read` until `ok` holds; the error shows the last value (tail) to explain a timeout. */
export async function waitFor<T>(
	read: () => Promise<T>,
	ok: (v: T) => boolean,
	ms = 120_000
): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = await read();
		if (ok(value)) return value;
		if (Date.now() > deadline) {
			throw new Error(`not reached in ${ms} ms: ${JSON.stringify(value).slice(-1500)}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
}
