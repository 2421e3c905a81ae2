// npm run bench:routing — routing through Caddy (issue 4), against a real Caddy (the Debian
// package, 2.6 here) started on free ports with only its admin block, as tests/helpers/caddy.ts
// does, and the `versioned` fixture app deployed through the real pipeline (in this process).
//
//  1. switch latency: health check passed (PipelineDeps.onHealthy) → first response through Caddy
//     on the production alias (<slug>.localhost) carrying the new deployment's id, while a poller
//     (a child process, bench/routing-load.ts) hammers that host; several redeploys.
//  2. push of a 1,000-route table: 1,000 aliases seeded in the database, then pushes alternating
//     between two tables (every push is a real change): read from the database, build the JSON,
//     POST /load, each timed, plus the whole locked transaction.
//  3. the app at a fixed 1,000 requests/s (open loop, keep-alive), directly on its published port
//     and through Caddy (holding the 1,000-route table), in interleaved slices; added p50 latency.
//
// Prints the figures, then one JSON line: {"bench":"routing","figures":{...},"targets":{...},"pass":...}.
// Needs the base images (scripts/build-base-images.sh), a Docker engine, Caddy and PostgreSQL.
// The generator, Caddy, the app and the bench share this machine's cores: compare the two arms of
// one run, not runs on different machines.
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { aliases, deployments } from '../src/lib/server/db/schema/index.ts';
import { removeProjectResources } from '../src/lib/server/deployments/cleanup.ts';
import { createDeployment } from '../src/lib/server/deployments/create.ts';
import { runDeployment } from '../src/lib/server/deployments/pipeline/run.ts';
import { loadCaddyConfig, readCaddyMarker } from '../src/lib/server/proxy/caddy-admin.ts';
import { buildCaddyConfig } from '../src/lib/server/proxy/caddy-config.ts';
import { loadRouteTable } from '../src/lib/server/proxy/route-table.ts';
import { lockRoutes, proxyOptions } from '../src/lib/server/proxy/sync.ts';
import { startTestCaddy } from '../tests/helpers/caddy.ts';
import {
	pipelineDeps,
	projectFromFixture,
	readDeployment,
	trustHostCertificates
} from '../tests/helpers/deploy.ts';
import { setRetention } from '../tests/helpers/routing.ts';
import { makeUser, testKeyring } from '../tests/helpers/world.ts';

const targets = { switch_median_ms: 100, push_1000_routes_median_ms: 50, added_p50_ms: 1 };
const SWITCHES = 5;
const POLL_LOOPS = 2;
const ROUTES = 1000;
const PUSHES = 10;
const RPS = 1000;
const SEGMENT_S = 2; // 5 slices of 2 s per arm, interleaved: 10 s each
// prettier-ignore
const ORDER = ['direct', 'caddy', 'caddy', 'direct', 'direct', 'caddy', 'caddy', 'direct', 'direct', 'caddy'];

// prepareTemplate() drops and rebuilds the template: by default use one of the bench's own, so a
// test suite running meanwhile keeps its template (tests/helpers/db.ts reads this at import).
const ownTemplate = !process.env.SLIPWAY_TEST_TEMPLATE;
process.env.SLIPWAY_TEST_TEMPLATE ??= 'slipway_bench_routing_template';
const { ADMIN_URL, TEMPLATE, prepareTemplate, createTestDatabase } =
	await import('../tests/helpers/db.ts');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;
const load1 = () => round(loadavg()[0], 2);

// --- the load child (poller and generator) ---
const child = fork(new URL('./routing-load.ts', import.meta.url), [], {
	stdio: ['ignore', 'inherit', 'inherit', 'ipc']
});
const replies: Record<string, (m: Record<string, unknown>) => void> = {};
child.on('message', (m: Record<string, unknown>) => {
	const waiting = replies[m.cmd as string];
	delete replies[m.cmd as string];
	waiting?.(m);
});
function ask<T = Record<string, unknown>>(message: object, reply: string): Promise<T> {
	return new Promise((resolve) => {
		replies[reply] = resolve as (m: Record<string, unknown>) => void;
		child.send(message);
	});
}

const loadAtStart = load1();
await prepareTemplate();
const t = await createTestDatabase('bench_routing');
const owner = await makeUser(t.db, 'Bench');
await trustHostCertificates(t.db);
// Replaced deployments keep running (no worker runs retire jobs here); cleanup removes them.
await setRetention(t.db, { drainSeconds: 3600, imageRetention: 10 });
const caddy = await startTestCaddy();
const { deps, collector } = pipelineDeps(t.db, { ...caddy.cfg });
const { project, repo } = await projectFromFixture({
	db: t.db,
	teamId: owner.team.id,
	userId: owner.user.id,
	app: 'versioned',
	settings: { name: 'bench-routing' }
});
const productionHost = `${project.slug}.localhost`;

let healthyAt = new Map<string, { hr: bigint; wall: number }>();
deps.onHealthy = (id) => healthyAt.set(id, { hr: process.hrtime.bigint(), wall: Date.now() });

async function deploy(version: number) {
	await repo.commit({ files: { VERSION: `v${version}\n` } });
	const created = await createDeployment(
		{ db: t.db, keyring: testKeyring },
		{ projectId: project.id, trigger: 'manual' }
	);
	await runDeployment(deps, { deploymentId: created.id });
	const row = await readDeployment(t.db, created.id);
	if (row.state !== 'ready') throw new Error(`deploy v${version}: ${row.state}\n${row.logText}`);
	const live = row.logs.find((l) => /^Routes are live \(switched in \d+ ms\)/.test(l.line));
	const finalizeMs = Number(/(\d+) ms/.exec(live?.line ?? '')?.[1]);
	// when finalize's transaction began (the log line is written right after it committed)
	const finalizeStartedAt = (live?.at.getTime() ?? NaN) - finalizeMs;
	return { id: created.id, hostPort: row.hostPort!, finalizeMs, finalizeStartedAt };
}

/** Caddy's pid, found by its bootstrap file (tests/helpers/caddy.ts names the folder by admin port). */
function caddyPid(): number | null {
	const marker = `caddy-${new URL(caddy.adminUrl).port}/bootstrap.json`;
	for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
		try {
			if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) return Number(pid);
		} catch {
			// exited meanwhile
		}
	}
	return null;
}

type PollReport = {
	firstNewAt: string | null;
	requests: number;
	requestsPerS: number;
	errors: Record<string, number>;
	others: Record<string, number>;
	oldAfterNew: number;
};

let result;
let live: Awaited<ReturnType<typeof deploy>> | undefined;
try {
	// --- 1. switch latency ---
	live = await deploy(1); // builds the image; later deploys reuse its cached layers
	await ask(
		{ cmd: 'poll', port: caddy.httpPort, host: productionHost, loops: POLL_LOOPS },
		'polling'
	);
	const switches = [];
	for (let i = 0; i < SWITCHES; i++) {
		await ask({ cmd: 'reset' }, 'reset');
		healthyAt = new Map();
		const d = await deploy(i + 2);
		live = d;
		await sleep(300); // stragglers
		const seen = await ask<PollReport>({ cmd: 'report', newId: d.id }, 'report');
		const healthy = healthyAt.get(d.id);
		if (!healthy) throw new Error('onHealthy was not called');
		if (!seen.firstNewAt) throw new Error(`the poller never got deployment ${d.id} through Caddy`);
		const s = {
			switch_ms: round(ms(healthy.hr, BigInt(seen.firstNewAt)), 1),
			// onHealthy → finalize's transaction: keepRunning (a Docker API call) comes first
			before_finalize_ms: Math.round(d.finalizeStartedAt - healthy.wall),
			finalize_ms: d.finalizeMs,
			poll_requests_per_s: seen.requestsPerS,
			poll_errors: Object.values(seen.errors).reduce((a, b) => a + b, 0),
			poll_error_codes: Object.keys(seen.errors).join(',') || '-',
			poll_old_after_new: seen.oldAfterNew,
			poll_other_answers: Object.keys(seen.others).filter((k) => !k.match(/^[0-9a-f-]{36}$/))
		};
		switches.push(s);
		console.log(
			`switch ${i + 1}: health check passed → served ${s.switch_ms} ms  (before finalize ~${s.before_finalize_ms} ms, finalize "switched in" ${s.finalize_ms} ms; ` +
				`poller ${s.poll_requests_per_s} req/s, errors ${s.poll_errors} [${s.poll_error_codes}], ` +
				`old answers to requests sent after the switch ${s.poll_old_after_new}` +
				`${s.poll_other_answers.length ? `, non-app answers: ${s.poll_other_answers.join(', ')}` : ''})`
		);
	}
	await ask({ cmd: 'stop-poll' }, 'stopped');
	const loadAfterSwitches = load1();

	// --- 2. pushing a 1,000-route table ---
	const seeded = await t.db
		.insert(deployments)
		.values(
			Array.from({ length: ROUTES }, (_, i) => ({
				projectId: project.id,
				branch: `bench-${i}`,
				trigger: 'manual' as const,
				state: 'canceled' as const, // not `ready`: one alias host each, no immutable host
				configSnapshot: {},
				containerId: 'bench-synthetic',
				hostPort: 20000 + i
			}))
		)
		.returning({ id: deployments.id });
	await t.db.insert(aliases).values(
		seeded.map((d, i) => ({
			projectId: project.id,
			kind: 'branch' as const,
			key: `bench-${i}`,
			label: `bench-route-${i}`,
			deploymentId: d.id
		}))
	);
	const opts = proxyOptions(deps.cfg);
	type Push = Record<
		'lock_ms' | 'read_ms' | 'build_ms' | 'stringify_ms' | 'load_ms' | 'total_ms',
		number
	> & { routes: number; bytes: number; hash: string };
	const pushes: Push[] = [];
	for (let i = 0; i < PUSHES; i++) {
		// Table A and table B differ in every synthetic upstream: each push is a real change.
		await t.db
			.update(deployments)
			.set({ hostPort: sql`${deployments.hostPort} + ${i % 2 ? -10000 : 10000}` })
			.where(eq(deployments.containerId, 'bench-synthetic'));
		await sleep(300); // Slipway coalesces to about one load a second; do not stack reloads
		const t0 = process.hrtime.bigint();
		const p = await t.db.transaction(async (tx) => {
			await lockRoutes(tx);
			const t1 = process.hrtime.bigint();
			const routes = await loadRouteTable(tx, deps.cfg);
			const t2 = process.hrtime.bigint();
			const { config, hash } = buildCaddyConfig(routes, opts);
			const t3 = process.hrtime.bigint();
			const body = JSON.stringify(config);
			const t4 = process.hrtime.bigint();
			await loadCaddyConfig(caddy.adminUrl, config);
			const t5 = process.hrtime.bigint();
			return {
				routes: routes.length,
				bytes: Buffer.byteLength(body),
				hash,
				lock_ms: ms(t0, t1),
				read_ms: ms(t1, t2),
				build_ms: ms(t2, t3),
				stringify_ms: ms(t3, t4),
				load_ms: ms(t4, t5)
			};
		});
		const total = ms(t0, process.hrtime.bigint()); // begin … commit
		if ((await readCaddyMarker(caddy.adminUrl)) !== p.hash) throw new Error('Caddy lacks the push');
		pushes.push({ ...p, total_ms: total });
	}
	const pushFig = (k: keyof Push & `${string}_ms`) => round(median(pushes.map((p) => p[k])), 2);
	const push = {
		routes: pushes[0].routes,
		config_kb: round(pushes[0].bytes / 1024, 0),
		read_ms: pushFig('read_ms'),
		build_ms: pushFig('build_ms'),
		stringify_ms: pushFig('stringify_ms'),
		load_ms: pushFig('load_ms'),
		load_max_ms: round(Math.max(...pushes.map((p) => p.load_ms)), 2),
		total_ms: pushFig('total_ms')
	};
	console.log(
		`push of a ${push.routes}-route table (${push.config_kb} KB of JSON), median of ${PUSHES}: ` +
			`POST /load ${push.load_ms} ms (max ${push.load_max_ms}; runs ${pushes.map((p) => round(p.load_ms, 1)).join(', ')}), ` +
			`build ${push.build_ms} ms + stringify ${push.stringify_ms} ms, read from the database ${push.read_ms} ms; ` +
			`whole locked transaction (lock, read, build, load, commit) ${push.total_ms} ms`
	);
	const loadAfterPushes = load1();

	// --- 3. fixed-rate load, direct vs through Caddy ---
	if (!live) throw new Error('nothing deployed');
	const served = await caddy.get(productionHost);
	if (!served.body.includes(live.id))
		throw new Error(`Caddy does not serve ${live.id}: ${served.body}`);
	const rate = await ask<{ result: Record<string, Record<string, number>> }>(
		{
			cmd: 'rate',
			targets: [
				{ name: 'direct', port: live.hostPort, host: `127.0.0.1:${live.hostPort}` },
				{ name: 'caddy', port: caddy.httpPort, host: `${productionHost}:${caddy.httpPort}` }
			],
			order: ORDER,
			rps: RPS,
			segmentS: SEGMENT_S,
			warmupS: 1,
			cpuPid: caddyPid()
		},
		'rate'
	);
	const arms = rate.result;
	for (const name of ['direct', 'caddy']) {
		const a = arms[name];
		console.log(
			`${name.padEnd(6)} at ${RPS} req/s for ${round(a.seconds, 1)} s: achieved ${round(a.achievedRps, 0)} req/s ` +
				`(${a.ok} ok, ${a.failed} failed), latency p50 ${round(a.p50, 3)} ms, p95 ${round(a.p95, 3)} ms, ` +
				`p99 ${round(a.p99, 3)} ms, max ${round(a.max, 1)} ms; from the schedule p50 ${round(a.p50FromSchedule, 3)} ms, ` +
				`p99 ${round(a.p99FromSchedule, 3)} ms; keep-alive sockets ${a.keepAliveSockets}`
		);
	}
	const addedP50 = arms.caddy.p50 - arms.direct.p50;
	const caddyCpuUs = (arms.caddy.cpuS / arms.caddy.sent) * 1e6;
	console.log(
		`added p50 through Caddy ${round(addedP50, 3)} ms; Caddy used ${round(caddyCpuUs, 0)} µs of CPU per proxied request`
	);
	const loadAtEnd = load1();

	const switchMs = switches.map((s) => s.switch_ms);
	const figures = {
		switch_median_ms: median(switchMs),
		switch_max_ms: Math.max(...switchMs),
		switch_runs_ms: switchMs,
		before_finalize_runs_ms: switches.map((s) => s.before_finalize_ms),
		finalize_runs_ms: switches.map((s) => s.finalize_ms),
		switch_poll_errors: switches.map((s) => s.poll_errors),
		switch_poll_old_after_new: switches.map((s) => s.poll_old_after_new),
		push_1000_routes_median_ms: push.load_ms,
		push_1000_routes_max_ms: push.load_max_ms,
		push_routes: push.routes,
		push_config_kb: push.config_kb,
		push_build_ms: push.build_ms,
		push_stringify_ms: push.stringify_ms,
		push_read_db_ms: push.read_ms,
		push_transaction_ms: push.total_ms,
		...Object.fromEntries(
			['direct', 'caddy'].flatMap((name) => [
				[`${name}_rps`, round(arms[name].achievedRps, 0)],
				[`${name}_failed`, arms[name].failed],
				[`${name}_p50_ms`, round(arms[name].p50, 3)],
				[`${name}_p95_ms`, round(arms[name].p95, 3)],
				[`${name}_p99_ms`, round(arms[name].p99, 3)]
			])
		),
		added_p50_ms: round(addedP50, 3),
		caddy_cpu_us_per_request: round(caddyCpuUs, 0),
		load_average_1m_at_start: loadAtStart,
		load_average_1m_after_switches: loadAfterSwitches,
		load_average_1m_after_pushes: loadAfterPushes,
		load_average_1m: loadAtEnd
	};
	const rateHeld = ['direct', 'caddy'].every(
		(name) => arms[name].failed === 0 && arms[name].achievedRps >= RPS * 0.95
	);
	console.log(`
switch latency   median ${figures.switch_median_ms} ms, max ${figures.switch_max_ms} ms  (target median <= ${targets.switch_median_ms})
push 1,000 routes median ${figures.push_1000_routes_median_ms} ms  (target <= ${targets.push_1000_routes_median_ms})
added p50        ${figures.added_p50_ms} ms at ${RPS} req/s  (target <= ${targets.added_p50_ms}; rate held: ${rateHeld ? 'yes' : 'NO'})
load average (1 min) at start / after switches / after pushes / end: ${loadAtStart} / ${loadAfterSwitches} / ${loadAfterPushes} / ${loadAtEnd} (2 cores, shared)`);
	result = {
		bench: 'routing',
		figures,
		targets,
		pass:
			figures.switch_median_ms <= targets.switch_median_ms &&
			figures.push_1000_routes_median_ms <= targets.push_1000_routes_median_ms &&
			figures.added_p50_ms <= targets.added_p50_ms &&
			rateHeld
	};
} finally {
	child.kill();
	collector.stopAll();
	await removeProjectResources({ projectId: project.id, projectSlug: project.slug }).catch(
		(error) => console.error(`cleanup: ${error.message}`)
	);
	await caddy.stop();
	await repo.remove();
	await t.drop();
	if (ownTemplate) {
		const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
		await admin.unsafe(`drop database if exists ${TEMPLATE} with (force)`);
		await admin.end({ timeout: 5 });
	}
}
console.log(JSON.stringify(result));
process.exit(result?.pass ? 0 : 1);
