import postgres from 'postgres';
import { createDb, type Db } from '../../src/lib/server/db/client.ts';
import { migrateDatabase } from '../../src/lib/server/db/migrate.ts';

/** A server-level URL whose user may CREATE DATABASE; scripts/test.sh provisions one. */
export const ADMIN_URL =
	process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Per-run template; set SLIPWAY_TEST_TEMPLATE to run two suites side by side on one server. */
export const TEMPLATE = process.env.SLIPWAY_TEST_TEMPLATE ?? 'slipway_test_template';

export function databaseUrl(name: string): string {
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return url.toString();
}

async function admin<T>(run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
	const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
	try {
		return await run(sql);
	} finally {
		await sql.end({ timeout: 5 });
	}
}

/** Rebuilds the migrated template once per test run. */
export async function prepareTemplate(): Promise<void> {
	await admin(async (sql) => {
		await sql.unsafe(`drop database if exists ${TEMPLATE} with (force)`);
		await sql.unsafe(`create database ${TEMPLATE}`);
	});
	await migrateDatabase(databaseUrl(TEMPLATE));
}

/** A fresh, migrated database of its own (copied from the template in ~50 ms). */
export async function createTestDatabase(label = 'db'): Promise<{
	name: string;
	url: string;
	db: Db;
	drop: () => Promise<void>;
}> {
	const name = `slipway_test_${label.replace(/\W/g, '_').slice(0, 20)}_${Math.random().toString(36).slice(2, 8)}`;
	await admin((sql) => sql.unsafe(`create database ${name} template ${TEMPLATE}`));
	const url = databaseUrl(name);
	const { db, close } = createDb(url, { max: 5 });
	return {
		name,
		url,
		db,
		drop: async () => {
			await close();
			await admin((sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
		}
	};
}

/** An empty database (no migrations), for testing what happens before `npm run migrate`. */
export async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
	const name = `slipway_test_empty_${Math.random().toString(36).slice(2, 8)}`;
	await admin((sql) => sql.unsafe(`create database ${name}`));
	return {
		url: databaseUrl(name),
		drop: async () => {
			await admin((sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
		}
	};
}
