import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/lib/server/auth/cookie.ts';
import { deploymentLogs, instanceSettings } from '../../src/lib/server/db/schema/index.ts';
import { createDeployment } from '../../src/lib/server/deployments/create.ts';
import { deleteExpiredLogs } from '../../src/lib/server/logs/retention.ts';
import {
	createLogWriter,
	MAX_LINE_CHARS,
	type LogStream
} from '../../src/lib/server/logs/writer.ts';
import { loadInstanceSettings } from '../../src/lib/server/projects/limits.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { createGitRepo, removeGitRepos, sampleApps } from '../helpers/git-repo.ts';
import { startWeb, type RunningProcess } from '../helpers/server.ts';
import { codeOf, makeUser, testKeyring } from '../helpers/world.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let owner: Awaited<ReturnType<typeof makeUser>>;
let outsider: Awaited<ReturnType<typeof makeUser>>;
let project: { id: string; slug: string };
let production: string;
let preview: string;
let staging: { id: string };

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

async function writeLines(deploymentId: string, lines: [LogStream, string, Date?][]) {
	const writer = createLogWriter({ db: t.db, deploymentId, onFlush: () => {} });
	for (const [stream, line, at] of lines) writer.write(stream, line, at);
	await writer.close();
}

beforeAll(async () => {
	t = await createTestDatabase('logs');
	owner = await makeUser(t.db, 'Logger');
	outsider = await makeUser(t.db, 'Outsider');
	const repo = await createGitRepo({ files: sampleApps.node });
	project = await owner.caller.projects.create({
		teamSlug: owner.team.slug,
		name: 'log-search',
		repoUrl: repo.path,
		port: 3000
	});
	staging = await owner.caller.environments.create({
		teamSlug: owner.team.slug,
		projectSlug: project.slug,
		name: 'Staging',
		branchPattern: 'release/*'
	});
	const deploy = (branch: string) =>
		createDeployment(
			{ db: t.db, keyring: testKeyring },
			{ projectId: project.id, branch, trigger: 'manual' }
		).then((d) => d.id);
	production = await deploy('main');
	preview = await deploy('feature/search');
	const stagingDeployment = await deploy('release/1');
	await writeLines(production, [
		['build', 'npm ci: added 120 packages', minutesAgo(60)],
		['stdout', 'GET /checkout 200 in 12ms', minutesAgo(30)],
		['stderr', '\x1b[31mError: payment gateway timeout\x1b[0m', minutesAgo(20)],
		['platform', 'Health check passed', minutesAgo(10)],
		['stdout', '100% done_with_underscores', minutesAgo(5)]
	]);
	await writeLines(preview, [['stderr', 'error: preview database missing', minutesAgo(15)]]);
	await writeLines(stagingDeployment, [['stdout', 'staging error budget ok', minutesAgo(2)]]);
});
afterAll(async () => {
	await removeGitRepos();
	await t?.drop();
});

const scope = () => ({ teamSlug: owner.team.slug, projectSlug: project.slug });
const texts = (r: { lines: { line: string }[] }) => r.lines.map((l) => l.line);

describe('logs.search', () => {
	it('finds text case-insensitively in every deployment of the project, newest first', async () => {
		const found = await owner.caller.logs.search({ ...scope(), text: 'ERROR' });
		expect(texts(found)).toEqual([
			'staging error budget ok',
			'error: preview database missing',
			'\x1b[31mError: payment gateway timeout\x1b[0m'
		]);
		expect(found.lines[0].deployment).toMatchObject({
			branch: 'release/1',
			environment: 'Staging'
		});
		expect(found.nextBefore).toBeNull();
	});

	it('filters by deployment, environment, preview, stream and time range', async () => {
		const s = scope();
		const byDeployment = await owner.caller.logs.search({ ...s, deploymentId: preview });
		expect(texts(byDeployment)).toEqual(['error: preview database missing']);
		const byEnv = await owner.caller.logs.search({ ...s, environmentId: staging.id });
		expect(texts(byEnv)).toEqual(['staging error budget ok']);
		const previews = await owner.caller.logs.search({ ...s, environmentId: 'preview' });
		expect(texts(previews)).toEqual(['error: preview database missing']);
		const streams = await owner.caller.logs.search({
			...s,
			deploymentId: production,
			streams: ['build', 'platform']
		});
		expect(texts(streams)).toEqual(['Health check passed', 'npm ci: added 120 packages']);
		const window = await owner.caller.logs.search({
			...s,
			deploymentId: production,
			from: minutesAgo(25),
			to: minutesAgo(8)
		});
		expect(texts(window)).toEqual([
			'Health check passed',
			'\x1b[31mError: payment gateway timeout\x1b[0m'
		]);
	});

	it('takes % and _ literally and pages with a bounded limit', async () => {
		expect(texts(await owner.caller.logs.search({ ...scope(), text: '100%' }))).toEqual([
			'100% done_with_underscores'
		]);
		expect(texts(await owner.caller.logs.search({ ...scope(), text: 'e_w' }))).toEqual([
			'100% done_with_underscores'
		]);
		expect(texts(await owner.caller.logs.search({ ...scope(), text: '%' }))).toHaveLength(1);
		const first = await owner.caller.logs.search({ ...scope(), limit: 3 });
		expect(first.lines).toHaveLength(3);
		const second = await owner.caller.logs.search({
			...scope(),
			limit: 3,
			before: first.nextBefore!
		});
		const third = await owner.caller.logs.search({
			...scope(),
			limit: 3,
			before: second.nextBefore!
		});
		expect(third.nextBefore).toBeNull();
		const ids = [...first.lines, ...second.lines, ...third.lines].map((l) => l.id);
		expect(ids).toHaveLength(7);
		expect([...ids].sort((a, b) => b - a)).toEqual(ids);
		expect(await codeOf(owner.caller.logs.search({ ...scope(), limit: 201 }))).toBe('BAD_REQUEST');
	});

	it("gives another team's member NOT_FOUND and never their lines", async () => {
		expect(await codeOf(outsider.caller.logs.search({ ...scope(), text: 'error' }))).toBe(
			'NOT_FOUND'
		);
		const own = await outsider.caller.projects.create({
			teamSlug: outsider.team.slug,
			name: 'snooper',
			repoUrl: (await createGitRepo({ files: sampleApps.static })).path
		});
		const viaOwn = await outsider.caller.logs.search({
			teamSlug: outsider.team.slug,
			projectSlug: own.slug,
			deploymentId: production
		});
		expect(viaOwn.lines).toEqual([]);
	});
});

describe('bad input in the store', () => {
	it('stores a 1 MB line truncated, binary and invalid UTF-8 as readable text', async () => {
		const bytes = Buffer.from([0x66, 0x6f, 0x00, 0xff, 0xfe, 0xc3, 0x28, 0x1b, 0x5b, 0x33, 0x31]);
		await writeLines(preview, [
			['stdout', 'x'.repeat(1_048_576)],
			['stdout', bytes.toString('utf8')],
			['stderr', String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i))]
		]);
		const rows = await owner.caller.deployments.logs({
			teamSlug: owner.team.slug,
			deploymentId: preview
		});
		const [big, binary, controls] = rows.slice(-3);
		expect(big.line.length).toBeLessThan(MAX_LINE_CHARS + 100);
		expect(big.line).toMatch(/\[line truncated: 1048576 characters\]$/);
		expect(binary.line).toBe('fo\uFFFD\uFFFD\uFFFD\uFFFD(\x1b[31');
		expect(controls.line.startsWith('\uFFFD\x01\x02')).toBe(true);
		const found = await owner.caller.logs.search({ ...scope(), text: 'fo\uFFFD' });
		expect(found.lines.map((l) => l.id)).toEqual([binary.id]);
	});
});

describe('retention', () => {
	it('deletes only lines older than the configured days, in batches', async () => {
		await loadInstanceSettings(t.db);
		await t.db.update(instanceSettings).set({ logRetentionDays: 3 });
		const day = 86_400_000;
		await writeLines(production, [
			['stdout', 'ancient 1', new Date(Date.now() - 10 * day)],
			['stdout', 'ancient 2', new Date(Date.now() - 4 * day)],
			['stdout', 'ancient 3', new Date(Date.now() - 3 * day - 60_000)],
			['stdout', 'recent', new Date(Date.now() - 3 * day + 60_000)]
		]);
		const count = async () =>
			(await t.db.execute<{ n: number }>(sql`select count(*)::int as n from deployment_logs`))[0].n;
		const before = await count();
		expect(await deleteExpiredLogs({ db: t.db, batchSize: 2 })).toEqual({
			deleted: 3,
			retentionDays: 3
		});
		expect(await count()).toBe(before - 3);
		const left = await t.db
			.select({ line: deploymentLogs.line })
			.from(deploymentLogs)
			.where(eq(deploymentLogs.deploymentId, production));
		expect(left.map((l) => l.line)).toContain('recent');
		expect(left.map((l) => l.line).filter((l) => l.startsWith('ancient'))).toEqual([]);
		expect((await deleteExpiredLogs({ db: t.db })).deleted).toBe(0);
	});
});

describe('download as text', () => {
	let web: RunningProcess;
	beforeAll(async () => {
		web = await startWeb(t.url);
	});
	afterAll(async () => {
		await web?.stop();
	});

	const get = (id: string, token?: string) =>
		fetch(`${web.url}/api/logs/${id}.txt`, {
			headers: token ? { cookie: `${SESSION_COOKIE}=${token}` } : {}
		});

	it('streams the log as text with timestamps and streams, escapes removed', async () => {
		const res = await get(production, owner.token);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		expect(res.headers.get('content-disposition')).toMatch(
			new RegExp(`^attachment; filename="log-search-[0-9a-f]{8}\\.log\\.txt"$`)
		);
		const lines = (await res.text()).trimEnd().split('\n');
		expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[build\] npm ci: added 120 packages$/);
		expect(lines).toContainEqual(
			expect.stringMatching(/Z \[stderr\] Error: payment gateway timeout$/)
		);
		expect(lines.join('\n')).not.toContain('\x1b');
	});

	it('answers an outsider, a stranger and a made-up id exactly like a missing log', async () => {
		expect((await get(production, outsider.token)).status).toBe(404);
		expect((await get(production)).status).toBe(401);
		expect((await get('00000000-0000-4000-8000-000000000000', owner.token)).status).toBe(404);
		expect((await get('not-a-uuid', owner.token)).status).toBe(404);
	});
});
