import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { runMigrations } from 'graphile-worker';
import { fileURLToPath } from 'node:url';
import { graphileLogger } from '../jobs/graphile-logger.ts';
import { logger } from '../log.ts';
import { createDb } from './client.ts';

const migrationsFolder = fileURLToPath(new URL('../../../../drizzle', import.meta.url));

/** Applies Slipway's schema and graphile-worker's queue schema. Safe to run again. */
export async function migrateDatabase(
	databaseUrl: string,
	folder = migrationsFolder
): Promise<void> {
	const { db, close } = createDb(databaseUrl, { max: 1 });
	try {
		await migrate(db, { migrationsFolder: folder });
	} finally {
		await close();
	}
	await runMigrations({
		connectionString: databaseUrl,
		logger: graphileLogger(logger(), 'warning')
	});
}
