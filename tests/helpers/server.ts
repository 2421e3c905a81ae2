import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

export type RunningProcess = {
	url: string;
	child: ChildProcess;
	output: () => string;
	/** SIGTERM, then wait for the exit; throws if the process does not stop within `ms`. */
	stop: (ms?: number) => Promise<number | null>;
};

function waitForExit(child: ChildProcess, ms: number): Promise<number | null> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`process ${child.pid} still running after ${ms} ms`)),
			ms
		);
		child.once('exit', (code) => {
			clearTimeout(timer);
			resolve(code);
		});
	});
}

// A failed test must not leave a server or worker behind: a stray worker keeps reconciling
// (and removing containers) long after its test ended.
const spawned = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of spawned) child.kill('SIGKILL');
});

function track(child: ChildProcess) {
	spawned.add(child);
	child.once('exit', () => spawned.delete(child));
	let output = '';
	child.stdout?.on('data', (d) => (output += d));
	child.stderr?.on('data', (d) => (output += d));
	return () => output;
}

export function testEnv(databaseUrl: string, extra: Record<string, string> = {}) {
	return {
		...process.env,
		DATABASE_URL: databaseUrl,
		SLIPWAY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
		REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
		LOG_LEVEL: 'warn',
		// As scripts/up.sh runs it: GitHub webhook deliveries reach 25 MB.
		BODY_SIZE_LIMIT: '25M',
		...extra
	};
}

/** Starts the built web server (`node build`) and waits until /healthz answers. */
export async function startWeb(
	databaseUrl: string,
	extra: Record<string, string> = {}
): Promise<RunningProcess> {
	const buildDir = process.env.SLIPWAY_BUILD_DIR ?? 'build';
	if (!existsSync(`${root}/${buildDir}/index.js`)) {
		throw new Error(`${buildDir}/ is missing: run \`npm run build\` before the server tests.`);
	}
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [buildDir], {
		cwd: root,
		env: testEnv(databaseUrl, { PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, ...extra }),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const output = track(child);
	const deadline = Date.now() + 15_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`web server exited:\n${output()}`);
		try {
			if ((await fetch(`${url}/healthz`)).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`web server did not start:\n${output()}`);
		await new Promise((r) => setTimeout(r, 50));
	}
	return {
		url,
		child,
		output,
		stop: (ms = 10_000) => (child.kill('SIGTERM'), waitForExit(child, ms))
	};
}

/** Starts the worker from source (Node strips the types) and waits for its ready line. */
export async function startWorker(
	databaseUrl: string,
	extra: Record<string, string> = {}
): Promise<RunningProcess> {
	const child = spawn(process.execPath, ['src/worker/main.ts'], {
		cwd: root,
		env: testEnv(databaseUrl, { LOG_LEVEL: 'info', ...extra }),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const output = track(child);
	const deadline = Date.now() + 15_000;
	while (!output().includes('worker started')) {
		if (child.exitCode !== null) throw new Error(`worker exited:\n${output()}`);
		if (Date.now() > deadline) throw new Error(`worker did not start:\n${output()}`);
		await new Promise((r) => setTimeout(r, 50));
	}
	return {
		url: '',
		child,
		output,
		stop: (ms = 10_000) => (child.kill('SIGTERM'), waitForExit(child, ms))
	};
}
