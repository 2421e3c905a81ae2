import { parseCrontab, run } from 'graphile-worker';
import { config } from '../lib/server/config.ts';
import { createDb } from '../lib/server/db/client.ts';
import { schemaStatus } from '../lib/server/db/migration-status.ts';
import { graphileLogger } from '../lib/server/jobs/graphile-logger.ts';
import { CRONTAB } from '../lib/server/jobs/registry.ts';
import { setEventBus } from '../lib/server/events/bus.ts';
import { createRedis } from '../lib/server/events/redis.ts';
import { logger } from '../lib/server/log.ts';
import { assertEveryJobHasATask } from './check-tasks.ts';
import { createTaskList } from './tasks/index.ts';
import { keyringFromConfig } from '../lib/server/crypto/keyring.ts';
import { Semaphore } from '../lib/server/deployments/pipeline/semaphore.ts';
import { loadInstanceSettings } from '../lib/server/projects/limits.ts';
import { LogCollector } from './log-collector.ts';
import { startReconcileLoop } from './reconcile-loop.ts';
import { startRouteSyncLoop } from './route-sync-loop.ts';

process.env.SLIPWAY_PROCESS ??= 'worker';

async function main() {
	const cfg = config();
	const log = logger();
	const { db, close } = createDb(cfg.DATABASE_URL, { max: 5 });
	const schema = await schemaStatus(db);
	if (!schema.ok) throw new Error(schema.error);
	const settings = await loadInstanceSettings(db);
	// Live feeds: state changes and log lines also go to Redis Streams (never required).
	const redis = createRedis(cfg.REDIS_URL);
	setEventBus(async () => redis);
	const collector = new LogCollector(db);
	const shutdown = new AbortController();
	const taskList = createTaskList({
		db,
		cfg,
		keyring: keyringFromConfig(cfg),
		buildSlots: new Semaphore(settings.buildConcurrency),
		collectLogs: (d) => collector.attach(d),
		shutdown: shutdown.signal
	});
	await assertEveryJobHasATask(db, Object.keys(taskList));

	const runner = await run({
		connectionString: cfg.DATABASE_URL,
		concurrency: cfg.WORKER_CONCURRENCY,
		// graphile's own handler exits abruptly; ours lets running jobs finish.
		noHandleSignals: true,
		// New jobs arrive by LISTEN/NOTIFY; polling only catches a queue freed by a job that just ended.
		pollInterval: 500,
		taskList,
		parsedCronItems: parseCrontab(CRONTAB),
		logger: graphileLogger(log)
	});
	const reconciler = startReconcileLoop(db, collector);
	await reconciler.first;
	const routeSync = startRouteSyncLoop(db, cfg);
	await routeSync.first;
	log.info({ concurrency: cfg.WORKER_CONCURRENCY }, 'worker started');

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info({ signal }, 'worker stopping: waiting for running jobs');
		try {
			reconciler.stop();
			routeSync.stop();
			// Deploys can run for minutes: end them now with a clear reason rather than block.
			shutdown.abort();
			await runner.stop();
			collector.stopAll();
			redis.disconnect();
		} finally {
			await close();
			log.info('worker stopped');
			process.exit(0);
		}
	};
	process.once('SIGTERM', () => void stop('SIGTERM'));
	process.once('SIGINT', () => void stop('SIGINT'));
	await runner.promise;
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
