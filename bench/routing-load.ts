// HTTP clients for bench/routing.ts, run as a child process (fork) so that their timing does not
// share an event loop with the deploy pipeline. Times are process.hrtime (CLOCK_MONOTONIC, the
// same clock in every process), sent as strings of nanoseconds.
//
// Messages from the parent:
//   {cmd: 'poll', port, host, loops}  start `loops` sequential keep-alive GET loops to host via port
//   {cmd: 'reset'}                    forget what the poller saw so far
//   {cmd: 'report', newId}            when `newId` was first served, and what else was seen
//   {cmd: 'stop-poll'}
//   {cmd: 'rate', targets, order, rps, segmentS, warmupS}   open-loop fixed-rate load, see rate()
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const now = () => process.hrtime.bigint();
const send = (m: object) => process.send!(m);

type Target = { name: string; port: number; host: string };

function get(
	agent: http.Agent,
	t: { port: number; host: string }
): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			{ host: '127.0.0.1', port: t.port, path: '/', agent, headers: { host: t.host } },
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

// --- poller ---
type Seen = { sent: bigint; done: bigint; deployment: string | null; error: string | null };
let seen: Seen[] = [];
let polling = false;
let pollers: Promise<void>[] = [];

async function pollLoop(agent: http.Agent, target: { port: number; host: string }) {
	while (polling) {
		const sent = now();
		try {
			const res = await get(agent, target);
			let deployment: string | null = `HTTP ${res.status}`;
			if (res.status === 200) {
				try {
					deployment = (JSON.parse(res.body) as { deployment: string }).deployment;
				} catch {
					deployment = 'unparsable body';
				}
			}
			seen.push({ sent, done: now(), deployment, error: null });
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
			seen.push({ sent, done: now(), deployment: null, error: code });
			await sleep(1); // Caddy restarting its listener: do not spin
		}
	}
}

function report(newId: string) {
	const first = seen.find((s) => s.deployment === newId);
	const errors: Record<string, number> = {};
	for (const s of seen) if (s.error) errors[s.error] = (errors[s.error] ?? 0) + 1;
	const others: Record<string, number> = {};
	let oldAfterNew = 0;
	for (const s of seen) {
		if (s.deployment && s.deployment !== newId) {
			others[s.deployment] = (others[s.deployment] ?? 0) + 1;
			// asked after the new deployment had been served, answered by something else
			if (first && s.sent > first.done) oldAfterNew++;
		}
	}
	const span = seen.length ? Number(seen.at(-1)!.done - seen[0].sent) / 1e9 : 0;
	return {
		firstNewAt: first ? String(first.done) : null,
		firstNewSentAt: first ? String(first.sent) : null,
		requests: seen.length,
		requestsPerS: span ? Math.round(seen.length / span) : 0,
		errors,
		others,
		oldAfterNew
	};
}

// --- open-loop fixed-rate generator ---
type Samples = {
	fromSend: number[];
	fromSchedule: number[];
	ok: number;
	failed: number;
	sent: number;
};

/**
 * Sends `rps` requests per second to one target for `seconds`, on a schedule that does not wait
 * for answers (open loop): a slow answer does not delay the next request. Latency is measured from
 * the actual send and, to show queueing in the generator itself, from the scheduled time.
 */
async function fixedRate(agent: http.Agent, t: Target, rps: number, seconds: number) {
	const s: Samples = { fromSend: [], fromSchedule: [], ok: 0, failed: 0, sent: 0 };
	const total = Math.round(rps * seconds);
	const interval = 1e9 / rps;
	const inflight: Promise<void>[] = [];
	const start = now();
	let i = 0;
	while (i < total) {
		const current = now();
		while (i < total && start + BigInt(Math.round(i * interval)) <= current) {
			const scheduled = start + BigInt(Math.round(i * interval));
			const sent = now();
			s.sent++;
			inflight.push(
				get(agent, t).then(
					(res) => {
						const done = now();
						if (res.status !== 200) {
							s.failed++;
							return;
						}
						s.ok++;
						s.fromSend.push(Number(done - sent) / 1e6);
						s.fromSchedule.push(Number(done - scheduled) / 1e6);
					},
					() => void s.failed++
				)
			);
			i++;
		}
		await sleep(1); // ~1 ms ticks: one or two requests per tick, without spinning a core
	}
	const scheduledS = Number(now() - start) / 1e9;
	await Promise.all(inflight);
	return { ...s, scheduledS };
}

/** CPU seconds (user + system) a process has used, or 0 when it cannot be read. */
function cpuSeconds(pid: number | null): number {
	if (!pid) return 0;
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return 0;
	}
}

async function rate(args: {
	targets: Target[];
	order: string[];
	rps: number;
	segmentS: number;
	warmupS: number;
	/** Caddy's pid: its CPU time is summed over the `caddy` slices. */
	cpuPid: number | null;
}) {
	const agents = new Map(
		args.targets.map((t) => [t.name, new http.Agent({ keepAlive: true, maxSockets: 256 })])
	);
	const byName = new Map(args.targets.map((t) => [t.name, t]));
	for (const t of args.targets) await fixedRate(agents.get(t.name)!, t, args.rps, args.warmupS);
	const result = new Map<string, Samples & { seconds: number; cpuS: number }>();
	for (const name of args.order) {
		const cpu0 = cpuSeconds(args.cpuPid);
		const r = await fixedRate(agents.get(name)!, byName.get(name)!, args.rps, args.segmentS);
		const cpuS = cpuSeconds(args.cpuPid) - cpu0;
		const acc = result.get(name) ?? {
			fromSend: [],
			fromSchedule: [],
			ok: 0,
			failed: 0,
			sent: 0,
			seconds: 0,
			cpuS: 0
		};
		acc.fromSend.push(...r.fromSend);
		acc.fromSchedule.push(...r.fromSchedule);
		acc.ok += r.ok;
		acc.failed += r.failed;
		acc.sent += r.sent;
		acc.seconds += r.scheduledS;
		acc.cpuS += cpuS;
		result.set(name, acc);
	}
	const pct = (xs: number[], p: number) => {
		const sorted = Float64Array.from(xs).sort();
		return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
	};
	const out: Record<string, object> = {};
	for (const [name, r] of result) {
		const agent = agents.get(name)!;
		const sockets = Object.values(agent.freeSockets).reduce((n, l) => n + (l?.length ?? 0), 0);
		out[name] = {
			sent: r.sent,
			ok: r.ok,
			failed: r.failed,
			seconds: r.seconds,
			achievedRps: r.ok / r.seconds,
			p50: pct(r.fromSend, 50),
			p95: pct(r.fromSend, 95),
			p99: pct(r.fromSend, 99),
			max: pct(r.fromSend, 100),
			p50FromSchedule: pct(r.fromSchedule, 50),
			p99FromSchedule: pct(r.fromSchedule, 99),
			keepAliveSockets: sockets,
			cpuS: r.cpuS
		};
	}
	for (const agent of agents.values()) agent.destroy();
	return out;
}

process.on('message', async (m: Record<string, unknown>) => {
	switch (m.cmd) {
		case 'poll': {
			polling = true;
			const target = { port: m.port as number, host: m.host as string };
			const agent = new http.Agent({ keepAlive: true });
			pollers = Array.from({ length: m.loops as number }, () => pollLoop(agent, target));
			send({ cmd: 'polling' });
			break;
		}
		case 'reset':
			seen = [];
			send({ cmd: 'reset' });
			break;
		case 'report':
			send({ cmd: 'report', ...report(m.newId as string) });
			break;
		case 'stop-poll':
			polling = false;
			await Promise.all(pollers);
			send({ cmd: 'stopped' });
			break;
		case 'rate':
			send({ cmd: 'rate', result: await rate(m as unknown as Parameters<typeof rate>[0]) });
			break;
		case 'exit':
			process.exit(0);
	}
});
