// Applies database migrations; exits non-zero on any failure so scripts can stop.
import { parseConfig } from '../src/lib/server/config.ts';
import { migrateDatabase } from '../src/lib/server/db/migrate.ts';

try {
	const { DATABASE_URL } = parseConfig(process.env);
	await migrateDatabase(DATABASE_URL);
	console.log('migrations applied');
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
}
