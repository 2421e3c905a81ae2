// npm run bench:deploy — time from the deploy request to `ready` for the Node hello-world sample,
// cold (dependencies not in the build cache: a lockfile never built before) and warm (unchanged
// lockfile, cached layers), through the real worker process, split by stage.
// Needs the runner images (scripts/build-base-images.sh) and a Docker engine.
import { asc, eq } from 'drizzle-orm';
import { deploymentLogs, deployments } from '../src/lib/server/db/schema/index.ts';
import { removeProjectResources } from '../src/lib/server/deployments/cleanup.ts';
import { createDeployment } from '../src/lib/server/deployments/create.ts';
import { createTestDatabase, prepareTemplate } from '../tests/helpers/db.ts';
import {
	fixtureFiles,
	projectFromFixture,
	trustHostCertificates
} from '../tests/helpers/deploy.ts';
import { startWorker } from '../tests/helpers/server.ts';
import { makeUser, testKeyring } from '../tests/helpers/world.ts';

const targets = { warm_total_s: 3, cold_total_s: 30 };

await prepareTemplate();
const t = await createTestDatabase('bench_deploy');
const owner = await makeUser(t.db, 'Bench');
await trustHostCertificates(t.db);
// A lockfile no build has seen: its dependency layer cannot come from the cache.
const files = await fixtureFiles('node-hello');
const lock = JSON.parse(files['package-lock.json']);
lock.name = `node-hello-bench-${Date.now()}`;
const { project, repo } = await projectFromFixture({
	db: t.db,
	teamId: owner.team.id,
	userId: owner.user.id,
	app: 'node-hello',
	files: { 'package-lock.json': JSON.stringify(lock, null, 2) }
});
const worker = await startWorker(t.url, {
	SLIPWAY_ALLOW_LOCAL_GIT: '1',
	SLIPWAY_WORK_DIR: '/tmp/slipway-bench'
});

async function timedDeploy(label: string) {
	const requested = Date.now();
	const created = await createDeployment(
		{ db: t.db, keyring: testKeyring },
		{ projectId: project.id, trigger: 'manual' }
	);
	let row;
	for (;;) {
		[row] = await t.db.select().from(deployments).where(eq(deployments.id, created.id));
		if (['ready', 'failed', 'canceled', 'skipped'].includes(row.state)) break;
		if (Date.now() - requested > 300_000) throw new Error(`${label}: not done after 300 s`);
		await new Promise((r) => setTimeout(r, 20));
	}
	const done = Date.now();
	if (row.state !== 'ready') throw new Error(`${label}: ${row.state}: ${row.failureReason}`);
	const logs = await t.db
		.select()
		.from(deploymentLogs)
		.where(eq(deploymentLogs.deploymentId, created.id))
		.orderBy(asc(deploymentLogs.id));
	const at = (pattern: RegExp) => logs.find((l) => pattern.test(l.line))?.at.getTime() ?? NaN;
	const s = (ms: number) => Math.round(ms) / 1000;
	const fetched = at(/^Fetched /);
	const probeStart = at(/^Health check: GET/);
	const stages = {
		queue_s: s(row.buildStartedAt!.getTime() - requested),
		fetch_s: s(fetched - row.buildStartedAt!.getTime()),
		build_s: s(row.startStartedAt!.getTime() - fetched),
		start_s: s(probeStart - row.startStartedAt!.getTime()),
		probe_s: s(row.readyAt!.getTime() - probeStart),
		total_s: s(done - requested)
	};
	console.log(
		`${label.padEnd(5)} ${Object.entries(stages)
			.map(([k, v]) => `${k}=${v}`)
			.join('  ')}`
	);
	return stages;
}

let result;
try {
	const cold = await timedDeploy('cold');
	const warm = await timedDeploy('warm');
	result = {
		bench: 'deploy',
		figures: {
			...Object.fromEntries(Object.entries(cold).map(([k, v]) => [`cold_${k}`, v])),
			...Object.fromEntries(Object.entries(warm).map(([k, v]) => [`warm_${k}`, v]))
		},
		targets,
		pass: warm.total_s <= targets.warm_total_s && cold.total_s <= targets.cold_total_s
	};
} finally {
	await worker.stop(20_000).catch(() => worker.child.kill('SIGKILL'));
	await removeProjectResources({ projectId: project.id, projectSlug: project.slug }).catch(
		() => {}
	);
	await repo.remove();
	await t.drop();
}
console.log(JSON.stringify(result));
process.exit(0);
