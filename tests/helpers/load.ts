import { Agent, request } from 'node:http';

export type LoadReport = {
	sent: number;
	ok: number;
	/** Requests that failed even after one retry, or answered 5xx. */
	failed: number;
	status5xx: number;
	/** Connection resets on reused keep-alive connections, retried once as browsers do. */
	resets: number;
	errors: string[];
	/** [time ms since start, body] of every answer, to see when a switch happened. */
	bodies: [number, string][];
};

/**
 * An open-loop HTTP load generator on loopback: `rate` GETs per second to 127.0.0.1:port with a
 * Host header, over a pool of keep-alive connections. A request reset on a reused connection is
 * retried once (what browsers do for idempotent requests: ../shared/caddy.md "What a reload does
 * to traffic") and counted in `resets`; anything else that fails, or a 5xx, counts as failed.
 */
export function startLoad(args: { port: number; host: string; rate: number; path?: string }) {
	const agent = new Agent({ keepAlive: true, maxSockets: 32 });
	const report: LoadReport = {
		sent: 0,
		ok: 0,
		failed: 0,
		status5xx: 0,
		resets: 0,
		errors: [],
		bodies: []
	};
	const started = performance.now();
	const inflight = new Set<Promise<void>>();

	const once = (fresh = false) =>
		new Promise<{ status: number; body: string }>((resolve, reject) => {
			const req = request(
				{
					host: '127.0.0.1',
					port: args.port,
					path: args.path ?? '/',
					agent: fresh ? false : agent,
					headers: { host: `${args.host}:${args.port}` },
					timeout: 10_000
				},
				(res) => {
					let body = '';
					res.setEncoding('utf8');
					res.on('data', (c) => (body += c));
					res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
					res.on('error', reject);
				}
			);
			req.on('timeout', () => req.destroy(new Error('timeout after 10 s')));
			req.on('error', reject);
			req.end();
		});

	const fire = async () => {
		report.sent++;
		let result: { status: number; body: string };
		try {
			try {
				result = await once();
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
				report.resets++;
				// A browser retries an idempotent request on a new connection.
				result = await once(true);
			}
		} catch (error) {
			report.failed++;
			report.errors.push(
				`${Math.round(performance.now() - started)} ms: ${(error as Error).message}`
			);
			return;
		}
		report.bodies.push([performance.now() - started, result.body]);
		if (result.status >= 500) {
			report.status5xx++;
			report.failed++;
			report.errors.push(`HTTP ${result.status}: ${result.body.slice(0, 200)}`);
		} else if (result.status === 200) report.ok++;
		else {
			report.failed++;
			report.errors.push(`HTTP ${result.status}`);
		}
	};

	const interval = 1000 / args.rate;
	let next = performance.now();
	let stopped = false;
	const tick = () => {
		if (stopped) return;
		const now = performance.now();
		while (next <= now) {
			const p = fire();
			inflight.add(p);
			void p.finally(() => inflight.delete(p));
			next += interval;
		}
		setTimeout(tick, Math.max(0, next - performance.now()));
	};
	tick();

	return {
		report,
		/** Stops sending, waits for what is in flight, and returns the report. */
		stop: async () => {
			stopped = true;
			await Promise.all(inflight);
			agent.destroy();
			return report;
		}
	};
}
