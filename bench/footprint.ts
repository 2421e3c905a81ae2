// Footprint benchmark: cold start of the web server and resident memory of web and worker.
//
//   npm run bench:footprint
//
// Runs the production artifacts (`node build`, `node dist/worker.js`; built first when missing)
// against a fresh database copied from the test template (tests/helpers/db.ts), prints the figures,
// then one JSON line: {"bench":"footprint","figures":{...},"targets":{...},"pass":...}.
//
// Like scripts/up.sh, the web server runs with Node's compile cache (NODE_COMPILE_CACHE), in a
// fresh folder: the first start fills it (reported as the empty-cache start), the others are
// restarts that find it, which is what the cold-start target is about.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const TARGETS = { idle_rss_total_mb: 200, cold_start_s: 0.5 };
const COLD_STARTS = 5; // restarts with the compile cache present, after one start that fills it
const REQUESTS = 1000;
const CONCURRENCY = 10;
const WORKER_IDLE_MS = 10_000;

// The test helpers need a role that may create databases. Unless TEST_DATABASE_URL says otherwise,
// use the local `slipway` role that scripts/up.sh wrote into .env.
if (!process.env.TEST_DATABASE_URL && existsSync(`${root}/.env`)) {
	const line = readFileSync(`${root}/.env`, 'utf8')
		.match(/^DATABASE_URL=(.+)$/m)?.[1]
		.trim();
	if (line?.startsWith('postgres://slipway:')) {
		const url = new URL(line);
		url.pathname = '/postgres';
		process.env.TEST_DATABASE_URL = url.toString();
	}
}
const { prepareTemplate, createTestDatabase } = await import('../tests/helpers/db.ts');
const { freePort, testEnv } = await import('../tests/helpers/server.ts');
const { makeUser } = await import('../tests/helpers/world.ts');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function rssMb(pid: number): number {
	const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)?.[1];
	if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
	return Number(kb) / 1024;
}

/** CPU time (user + system) a process has used so far: unlike wall time, not inflated by a busy machine. */
function cpuSeconds(pid: number): number {
	// fields after the command name; utime and stime are the 14th and 15th of the whole line
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ = 100 on Linux)
}

/** SIGTERM, then true if the process exited within `ms` (SIGKILL otherwise). */
async function stop(child: ChildProcess, ms = 10_000): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return true;
	const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
	child.kill('SIGTERM');
	const ok = await Promise.race([exited, sleep(ms).then(() => false)]);
	if (!ok) child.kill('SIGKILL');
	return ok;
}

function capture(child: ChildProcess): () => string {
	let output = '';
	child.stdout?.on('data', (d) => (output += d));
	child.stderr?.on('data', (d) => (output += d));
	return () => output;
}

if (!existsSync(`${root}/build/index.js`) || !existsSync(`${root}/dist/worker.js`)) {
	console.log('build/ or dist/worker.js is missing: npm run build');
	const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	if (built.status !== 0) throw new Error('npm run build failed');
}

try {
	await prepareTemplate();
} catch (error) {
	if ((error as { code?: string }).code === '42501') {
		console.error(
			'slipway_test_template belongs to another database role (a test run as postgres?): ' +
				'set TEST_DATABASE_URL to a URL of that role, or hand the database over ' +
				'(ALTER DATABASE slipway_test_template OWNER TO <role>).'
		);
	}
	throw error;
}
const database = await createTestDatabase('bench');
const alice = await makeUser(database.db, 'Bench');
const cookie = `slipway_session=${alice.token}`;
const compileCache = mkdtempSync(`${tmpdir()}/slipway-bench-compile-cache-`);

/** Spawns `node build` and returns once /healthz answers 200, with the time that took. */
async function startWeb() {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const t0 = performance.now();
	const child = spawn(process.execPath, ['build'], {
		cwd: root,
		env: testEnv(database.url, {
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: url,
			NODE_COMPILE_CACHE: compileCache
		}),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const output = capture(child);
	for (;;) {
		if (child.exitCode !== null) throw new Error(`web server exited:\n${output()}`);
		try {
			if ((await fetch(`${url}/healthz`)).status === 200) break;
		} catch {
			// not listening yet
		}
		if (performance.now() - t0 > 15_000) throw new Error(`web server did not start:\n${output()}`);
		await sleep(2);
	}
	const startS = (performance.now() - t0) / 1000;
	return { child, url, startS, cpuS: cpuSeconds(child.pid!), output };
}

async function load(url: string) {
	const paths: [string, RequestInit][] = [
		['/healthz', {}],
		['/login', {}],
		['/api/trpc/account.me', { headers: { cookie } }]
	];
	const statuses: Record<string, number> = {};
	let next = 0;
	const t0 = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < REQUESTS) {
				const [path, init] = paths[next++ % paths.length];
				const res = await fetch(url + path, { ...init, redirect: 'manual' });
				await res.arrayBuffer();
				const key = `${path} ${res.status}`;
				statuses[key] = (statuses[key] ?? 0) + 1;
			}
		})
	);
	return { seconds: (performance.now() - t0) / 1000, statuses };
}

try {
	await fetch('http://127.0.0.1:9/').catch(() => {}); // load fetch before timing anything
	const loadAtStart = loadavg()[0];

	// --- web: one start with an empty compile cache, cold starts (restarts), then memory before
	// and after load on the last one ---
	const first = await startWeb();
	const emptyCache = { startS: first.startS, cpuS: first.cpuS };
	let webStopped = await stop(first.child);
	const starts: number[] = [];
	const startCpu: number[] = [];
	const startupRss: number[] = [];
	let webAfterLoad = 0;
	let loadResult: Awaited<ReturnType<typeof load>> | undefined;
	for (let i = 0; i < COLD_STARTS; i++) {
		const web = await startWeb();
		starts.push(web.startS);
		startCpu.push(web.cpuS);
		startupRss.push(rssMb(web.child.pid!));
		if (i === COLD_STARTS - 1) {
			loadResult = await load(web.url);
			webAfterLoad = rssMb(web.child.pid!);
		}
		webStopped = (await stop(web.child)) && webStopped;
	}

	// --- worker: memory once started and after idling ---
	const w0 = performance.now();
	const worker = spawn(process.execPath, ['dist/worker.js'], {
		cwd: root,
		env: testEnv(database.url, { LOG_LEVEL: 'info' }),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const workerOutput = capture(worker);
	while (!workerOutput().includes('worker started')) {
		if (worker.exitCode !== null) throw new Error(`worker exited:\n${workerOutput()}`);
		if (performance.now() - w0 > 15_000)
			throw new Error(`worker did not start:\n${workerOutput()}`);
		await sleep(5);
	}
	const workerStartS = (performance.now() - w0) / 1000;
	const workerStarted = rssMb(worker.pid!);
	await sleep(WORKER_IDLE_MS);
	const workerIdle = rssMb(worker.pid!);
	const workerStopped = await stop(worker);

	const figures = {
		web_cold_start_s: round(median(starts), 3),
		web_cold_start_runs_s: starts.map((s) => round(s, 3)),
		web_cold_start_cpu_s: round(median(startCpu), 2),
		web_cold_start_empty_cache_s: round(emptyCache.startS, 3),
		web_cold_start_empty_cache_cpu_s: round(emptyCache.cpuS, 2),
		web_rss_startup_mb: round(median(startupRss)),
		web_rss_after_requests_mb: round(webAfterLoad),
		requests: REQUESTS,
		requests_per_s: round(REQUESTS / loadResult!.seconds, 0),
		worker_start_s: round(workerStartS, 3),
		worker_rss_started_mb: round(workerStarted),
		worker_rss_idle_mb: round(workerIdle),
		idle_rss_total_mb: round(median(startupRss) + workerIdle),
		cold_start_s: round(median(starts), 3),
		// the machine's 1-minute load average: cold starts are only comparable on a quiet machine
		load_average_1m: round(loadavg()[0], 2),
		load_average_1m_at_start: round(loadAtStart, 2),
		web_stopped_on_sigterm: webStopped,
		worker_stopped_on_sigterm: workerStopped
	};
	const pass =
		figures.idle_rss_total_mb <= TARGETS.idle_rss_total_mb &&
		figures.cold_start_s <= TARGETS.cold_start_s &&
		webStopped &&
		workerStopped;

	console.log(`
web (node build)
  cold start to first 200 on /healthz  median ${figures.web_cold_start_s} s  (runs: ${figures.web_cold_start_runs_s.join(', ')} s)
  CPU time used until then             median ${figures.web_cold_start_cpu_s} s (user + system)
  first start (empty compile cache)    ${figures.web_cold_start_empty_cache_s} s, CPU ${figures.web_cold_start_empty_cache_cpu_s} s
  RSS right after startup              ${figures.web_rss_startup_mb} MB (median of ${COLD_STARTS})
  RSS after ${REQUESTS} requests              ${figures.web_rss_after_requests_mb} MB  (${figures.requests_per_s} req/s, concurrency ${CONCURRENCY})
  responses                            ${Object.entries(loadResult!.statuses)
		.map(([k, n]) => `${k}: ${n}`)
		.join(', ')}
  stopped on SIGTERM                   ${webStopped ? 'yes' : 'NO'}
worker (node dist/worker.js)
  start to "worker started"            ${figures.worker_start_s} s
  RSS after start                      ${figures.worker_rss_started_mb} MB
  RSS after ${WORKER_IDLE_MS / 1000} s idle                 ${figures.worker_rss_idle_mb} MB
  stopped on SIGTERM                   ${workerStopped ? 'yes' : 'NO'}
idle RSS total (web at startup + worker idle)  ${figures.idle_rss_total_mb} MB  (target <= ${TARGETS.idle_rss_total_mb})
cold start                                     ${figures.cold_start_s} s  (target <= ${TARGETS.cold_start_s})
load average (1 min) at start / end           ${figures.load_average_1m_at_start} / ${figures.load_average_1m}
`);
	console.log(JSON.stringify({ bench: 'footprint', figures, targets: TARGETS, pass }));
	process.exitCode = pass ? 0 : 1;
} finally {
	await database.drop();
	rmSync(compileCache, { recursive: true, force: true });
}
