// npm run bench:live — (a) latency of a log line from `console.log` in a real container to its
// arrival at a real SSE client (fetch on /api/trpc/deployments.follow of a real web server, the
// data:/id: lines parsed by hand: Node has no EventSource), through the worker's LogCollector, the
// log writer, Postgres and the Redis Stream; (b) sustained ingestion into Postgres through the log
// writer, in lines/s, with this process's CPU time (one Node thread: at most one core).
// Needs Docker, Caddy and the base images (scripts/build-base-images.sh).
import { loadavg } from 'node:os';
import { removeProjectResources } from '../src/lib/server/deployments/cleanup.ts';
import { setEventBus } from '../src/lib/server/events/bus.ts';
import { createLogWriter } from '../src/lib/server/logs/writer.ts';
import { createDeployment } from '../src/lib/server/deployments/create.ts';
import { runDeployment } from '../src/lib/server/deployments/pipeline/run.ts';
import { startTestCaddy } from '../tests/helpers/caddy.ts';
import { createTestDatabase, prepareTemplate } from '../tests/helpers/db.ts';
import {
	pipelineDeps,
	projectFromFixture,
	trustHostCertificates
} from '../tests/helpers/deploy.ts';
import { startWeb } from '../tests/helpers/server.ts';
import { closeTestRedis, makeUser, testKeyring, testRedis } from '../tests/helpers/world.ts';

const targets = { latency_p95_ms: 250, ingest_lines_per_s: 5000 };
const SAMPLE_SECONDS = 15;
const INGEST_LINES = 200_000;

// Prints a timestamped line every 50 ms; the bench compares the stamp with the arrival time.
const chatty = `import http from 'node:http';
http.createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT || 8000), '0.0.0.0');
let n = 0;
setInterval(() => console.log('LAT ' + Date.now() + ' ' + n++), 50);
`;

const pct = (xs: number[], p: number) =>
	[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

await prepareTemplate();
const t = await createTestDatabase('bench_live');
setEventBus(testRedis);
const owner = await makeUser(t.db, 'Bench');
await trustHostCertificates(t.db);
const caddy = await startTestCaddy();
const { deps, collector } = pipelineDeps(t.db, caddy.cfg);
const { project, repo } = await projectFromFixture({
	db: t.db,
	teamId: owner.team.id,
	userId: owner.user.id,
	app: 'versioned',
	files: { 'server.mjs': chatty },
	settings: { name: 'bench-live' }
});
const web = await startWeb(t.url);

/** Reads the SSE stream, calling `onLine` with each log line and when it arrived. */
async function followOverHttp(
	deploymentId: string,
	signal: AbortSignal,
	onLine: (line: string, at: number) => void
) {
	const input = encodeURIComponent(
		JSON.stringify({ json: { teamSlug: owner.team.slug, deploymentId } })
	);
	const res = await fetch(`${web.url}/api/trpc/deployments.follow?input=${input}`, {
		headers: { cookie: `slipway_session=${owner.token}` },
		signal
	});
	const decoder = new TextDecoder();
	let pending = '';
	try {
		for await (const chunk of res.body!) {
			const at = Date.now();
			pending += decoder.decode(chunk, { stream: true });
			const lines = pending.split('\n');
			pending = lines.pop()!;
			for (const l of lines) {
				if (!l.startsWith('data: ')) continue;
				const event = JSON.parse(l.slice(6))?.json;
				if (event?.type === 'logs') for (const e of event.entries) onLine(e.line, at);
			}
		}
	} catch (error) {
		if (!signal.aborted) throw error;
	}
}

let result;
try {
	// (a) latency: deploy, then follow as a browser would.
	const created = await createDeployment(
		{ db: t.db, keyring: testKeyring },
		{ projectId: project.id, trigger: 'manual' }
	);
	await runDeployment(deps, { deploymentId: created.id });
	const samples: number[] = [];
	const stop = new AbortController();
	const connectedAt = Date.now();
	const reading = followOverHttp(created.id, stop.signal, (line, at) => {
		const m = /^LAT (\d+)/.exec(line);
		// Lines printed before the client connected come from the back-fill, not live.
		if (m && Number(m[1]) > connectedAt + 500) samples.push(at - Number(m[1]));
	});
	await new Promise((r) => setTimeout(r, SAMPLE_SECONDS * 1000));
	stop.abort();
	await reading;
	collector.stopAll();
	if (samples.length < 50) throw new Error(`only ${samples.length} live lines arrived`);

	// (b) ingestion through the writer (default batching), Redis publishing off.
	setEventBus(null);
	const ingest = await createDeployment(
		{ db: t.db, keyring: testKeyring },
		{ projectId: project.id, trigger: 'manual', branch: 'ingest' }
	);
	const writer = createLogWriter({ db: t.db, deploymentId: ingest.id });
	const cpu0 = process.cpuUsage();
	const wall0 = performance.now();
	for (let i = 0; i < INGEST_LINES; i++) {
		writer.write(
			'stdout',
			`GET /api/items/${i} 200 in ${i % 97} ms user=${i % 1013} trace=${i.toString(36)}`
		);
		// A real app writes over time; yield now and then so batches go out as they fill.
		if (i % 5000 === 4999) await new Promise((r) => setImmediate(r));
	}
	await writer.close();
	const wallS = (performance.now() - wall0) / 1000;
	const cpu = process.cpuUsage(cpu0);
	const cpuS = (cpu.user + cpu.system) / 1e6;

	const figures = {
		latency_samples: samples.length,
		latency_p50_ms: pct(samples, 50),
		latency_p95_ms: pct(samples, 95),
		latency_max_ms: Math.max(...samples),
		ingest_lines: INGEST_LINES,
		ingest_lines_per_s: Math.round(INGEST_LINES / wallS),
		ingest_cpu_cores: Math.round((cpuS / wallS) * 100) / 100,
		load_average_1m: Math.round(loadavg()[0] * 100) / 100
	};
	for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(20)} ${v}`);
	result = {
		bench: 'live',
		figures,
		targets,
		pass:
			figures.latency_p95_ms <= targets.latency_p95_ms &&
			figures.ingest_lines_per_s >= targets.ingest_lines_per_s &&
			figures.ingest_cpu_cores <= 1
	};
} finally {
	collector.stopAll();
	await web.stop().catch(() => web.child.kill('SIGKILL'));
	await removeProjectResources({ projectId: project.id, projectSlug: project.slug }).catch(
		() => {}
	);
	await caddy.stop().catch(() => {});
	await repo.remove();
	setEventBus(null);
	await closeTestRedis();
	await t.drop();
}
console.log(JSON.stringify(result));
process.exit(0);
