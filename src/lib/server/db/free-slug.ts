import { eq, like, or } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { availableSlug } from '../teams/slug.ts';
import type { Db, Tx } from './client.ts';

/** `base`, or the first of `base-2`, `base-3`… not yet in `column` (and not reserved). */
export async function findFreeSlug(args: {
	db: Db | Tx;
	table: PgTable;
	column: PgColumn;
	base: string;
}): Promise<string> {
	const rows = await args.db
		.select({ slug: args.column })
		.from(args.table)
		.where(or(eq(args.column, args.base), like(args.column, `${args.base}-%`)));
	const taken = new Set(rows.map((r) => r.slug as string));
	return availableSlug(args.base, (s) => taken.has(s));
}
