import { sql } from 'drizzle-orm';
import journal from '../../../../drizzle/meta/_journal.json' with { type: 'json' };
import type { Db } from './client.ts';

/**
 * Compares the migrations this release ships with those applied to the database, so a process
 * started against an old schema says what to do instead of failing on a missing column later.
 */
export async function schemaStatus(db: Db): Promise<{ ok: boolean; error?: string }> {
	const latest = Math.max(...journal.entries.map((e) => e.when));
	try {
		const [row] = await db.execute<{ latest: string | null }>(
			sql`select max(created_at)::text as latest from drizzle.__drizzle_migrations`
		);
		if (row?.latest && Number(row.latest) >= latest) return { ok: true };
	} catch (error) {
		if ((error as { cause?: { code?: string } }).cause?.code !== '42P01') throw error;
	}
	return {
		ok: false,
		error: 'The database schema is older than this release. Run `npm run migrate`, then restart.'
	};
}
