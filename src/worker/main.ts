import { parseCrontab, run } from 'graphile-worker';
import { config } from '../lib/server/config.ts';
import { createDb } from '../lib/server/db/client.ts';
import { schemaStatus } from '../lib/server/db/migration-status.ts';
import { graphileLogger } from '../lib/server/jobs/graphile-logger.ts';
import { CRONTAB } from '../lib/server/jobs/registry.ts';
import { logger } from '../lib/server/log.ts';
import { assertEveryJobHasATask } from './check-tasks.ts';
import { createTaskList } from './tasks/index.ts';

process.env.SLIPWAY_PROCESS ??= 'worker';

async function main() {
	const cfg = config();
	const log = logger();
	const { db, close } = createDb(cfg.DATABASE_URL, { max: 5 });
	const schema = await schemaStatus(db);
	if (!schema.ok) throw new Error(schema.error);
	const taskList = createTaskList(db);
	await assertEveryJobHasATask(db, Object.keys(taskList));

	const runner = await run({
		connectionString: cfg.DATABASE_URL,
		concurrency: cfg.WORKER_CONCURRENCY,
		// graphile's own handler exits abruptly; ours lets running jobs finish.
		noHandleSignals: true,
		pollInterval: 2000,
		taskList,
		parsedCronItems: parseCrontab(CRONTAB),
		logger: graphileLogger(log)
	});
	log.info({ concurrency: cfg.WORKER_CONCURRENCY }, 'worker started');

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info({ signal }, 'worker stopping: waiting for running jobs');
		try {
			await runner.stop();
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
