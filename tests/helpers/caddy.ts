import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './server.ts';

export type TestCaddy = {
	adminUrl: string;
	httpPort: number;
	/** Config overrides that make Slipway drive this Caddy. */
	cfg: { CADDY_ADMIN_URL: string; SLIPWAY_PROXY_PORT: number; CADDY_VERSION: string };
	/** GET through Caddy as `host` (no DNS: the Host header carries the name). */
	get: (host: string, path?: string) => Promise<{ status: number; body: string }>;
	kill: () => Promise<void>;
	/** Starts it again from the bootstrap config only (like a restart that lost its config). */
	start: () => Promise<void>;
	stop: () => Promise<void>;
};

const running = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

/**
 * A real Caddy (the Debian package, 2.6 here) on free loopback ports, with its admin API on its
 * own port and its data in a scratch folder. It starts from a bootstrap config holding only the
 * admin block, as `scripts/up.sh` starts it, so Slipway must push the routes.
 */
export async function startTestCaddy(): Promise<TestCaddy> {
	const adminPort = await freePort();
	const httpPort = await freePort();
	const dir = `/tmp/slipway-test/caddy-${adminPort}`;
	await mkdir(dir, { recursive: true });
	const bootstrap = `${dir}/bootstrap.json`;
	await writeFile(
		bootstrap,
		JSON.stringify({ admin: { listen: `127.0.0.1:${adminPort}`, config: { persist: false } } })
	);
	const adminUrl = `http://127.0.0.1:${adminPort}`;
	let child: ChildProcess | null = null;

	const start = async () => {
		child = spawn('caddy', ['run', '--config', bootstrap], {
			env: { ...process.env, XDG_DATA_HOME: `${dir}/data`, XDG_CONFIG_HOME: `${dir}/config` },
			stdio: ['ignore', 'ignore', 'pipe']
		});
		let output = '';
		child.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
		running.add(child);
		child.once('exit', () => running.delete(child!));
		for (let i = 0; i < 100; i++) {
			const ok = await fetch(`${adminUrl}/config/`).then(
				(r) => r.ok,
				() => false
			);
			if (ok) return;
			if (child.exitCode !== null) break;
			await sleep(50);
		}
		throw new Error(`caddy did not start:\n${output}`);
	};
	const waitExit = (c: ChildProcess) =>
		c.exitCode !== null || c.signalCode !== null
			? Promise.resolve()
			: new Promise<void>((resolve) => c.once('exit', () => resolve()));

	await start();
	return {
		adminUrl,
		httpPort,
		cfg: { CADDY_ADMIN_URL: adminUrl, SLIPWAY_PROXY_PORT: httpPort, CADDY_VERSION: '2.6' },
		get: (host, path = '/') => getVia(httpPort, host, path),
		kill: async () => {
			if (!child) return;
			child.kill('SIGKILL');
			await waitExit(child);
		},
		start,
		stop: async () => {
			if (child) {
				child.kill('SIGKILL');
				await waitExit(child);
			}
			await rm(dir, { recursive: true, force: true });
		}
	};
}

/** One GET to 127.0.0.1:port with a Host header, on a fresh connection. */
export function getVia(
	port: number,
	host: string,
	path = '/'
): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request(
			{ host: '127.0.0.1', port, path, agent: false, headers: { host: `${host}:${port}` } },
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (c) => (body += c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.end();
	});
}
