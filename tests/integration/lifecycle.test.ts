import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/lib/server/auth/session.ts';
import { sessions } from '../../src/lib/server/db/schema/index.ts';
import { createEmptyDatabase, createTestDatabase } from '../helpers/db.ts';
import { freePort, startWeb, startWorker, testEnv } from '../helpers/server.ts';
import { makeUser } from '../helpers/world.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
	t = await createTestDatabase('lifecycle');
});
afterAll(() => t.drop());

/** Runs a process to its end and returns its exit code and output. */
function runToExit(args: string[], env: NodeJS.ProcessEnv) {
	return new Promise<{ code: number | null; output: string }>((resolve) => {
		const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, output });
		});
	});
}

/** A TCP server that accepts connections and never answers: a hung dependency. */
async function blackhole(): Promise<{ port: number; server: Server }> {
	const server = createServer(() => {});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return { port: (server.address() as { port: number }).port, server };
}

describe('configuration', () => {
	it('stops web and worker at boot with a message naming the missing secret', async () => {
		const env: NodeJS.ProcessEnv = testEnv(t.url);
		delete env.SLIPWAY_ENCRYPTION_KEY;
		for (const args of [['build'], ['src/worker/main.ts']]) {
			const { code, output } = await runToExit(args, { ...env, PORT: String(await freePort()) });
			expect(code).toBe(1);
			expect(output).toMatch(/SLIPWAY_ENCRYPTION_KEY is required/);
		}
	});

	it('names an invalid variable', async () => {
		const env = testEnv(t.url, { DATABASE_URL: 'mysql://nope', PORT: String(await freePort()) });
		const { code, output } = await runToExit(['build'], env);
		expect(code).toBe(1);
		expect(output).toMatch(/DATABASE_URL must be a postgres:\/\/ URL/);
	});
});

describe('web process', () => {
	it('reports not ready when Redis is down, while pages still load from Postgres', async () => {
		const web = await startWeb(t.url, { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
		try {
			const ready = await fetch(`${web.url}/readyz`);
			expect(ready.status).toBe(503);
			expect(await ready.json()).toMatchObject({
				ok: false,
				checks: { postgres: { ok: true }, redis: { ok: false } }
			});
			expect((await fetch(`${web.url}/login`)).status).toBe(200);
		} finally {
			expect(await web.stop()).toBe(0);
		}
	});

	it('finishes an in-flight request on SIGTERM, then exits', async () => {
		const hung = await blackhole();
		const web = await startWeb(t.url, { REDIS_URL: `redis://127.0.0.1:${hung.port}` });
		try {
			// /readyz waits up to 2 s for the hung Redis: a slow request in flight.
			const inFlight = fetch(`${web.url}/readyz`);
			await new Promise((r) => setTimeout(r, 300));
			const stopped = web.stop(8000);
			const res = await inFlight;
			expect(res.status).toBe(503);
			expect(await stopped).toBe(0);
		} finally {
			hung.server.close();
		}
	});
});

describe('worker process', () => {
	it('runs the hourly session cleanup job and stops gracefully on SIGTERM', async () => {
		const { user } = await makeUser(t.db, 'Cleaner');
		const { session } = await createSession({ db: t.db, userId: user.id, ttlDays: 30 });
		await t.db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(sessions.id, session.id));
		await t.db.execute(
			sql`select graphile_worker.add_job('cleanup_sessions', '{}'::json, max_attempts := 1)`
		);

		const worker = await startWorker(t.url);
		try {
			const deadline = Date.now() + 10_000;
			while ((await t.db.select().from(sessions).where(eq(sessions.id, session.id))).length > 0) {
				if (Date.now() > deadline) throw new Error(`job did not run:\n${worker.output()}`);
				await new Promise((r) => setTimeout(r, 100));
			}
		} finally {
			expect(await worker.stop(8000)).toBe(0);
		}
		expect(worker.output()).toMatch(/worker stopped/);
	});

	it('refuses to boot when a queued job has no task', async () => {
		await t.db.execute(sql`select graphile_worker.add_job('mystery_task', '{}'::json)`);
		const { code, output } = await runToExit(['src/worker/main.ts'], testEnv(t.url));
		expect(code).toBe(1);
		expect(output).toMatch(/No task is registered for job name\(s\): mystery_task/);
		const fix = output.match(/select graphile_worker\.complete_jobs[^;]+;/)?.[0];
		expect(fix).toBeTruthy();
		await t.db.execute(sql.raw(fix!));
		const again = await startWorker(t.url);
		expect(await again.stop(8000)).toBe(0);
	});
});

describe('database schema', () => {
	it('tells the operator to migrate when the database is empty', async () => {
		const empty = await createEmptyDatabase();
		try {
			const { code, output } = await runToExit(['src/worker/main.ts'], testEnv(empty.url));
			expect(code).toBe(1);
			expect(output).toMatch(/schema is older than this release\. Run `npm run migrate`/);
			const web = await startWeb(empty.url);
			try {
				const ready = await fetch(`${web.url}/readyz`);
				expect(ready.status).toBe(503);
				expect((await ready.json()).checks.postgres.error).toMatch(/npm run migrate/);
			} finally {
				await web.stop();
			}
		} finally {
			await empty.drop();
		}
	});
});
