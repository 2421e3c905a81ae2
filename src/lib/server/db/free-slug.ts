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
	/** Other places the slug must not clash with (project slugs are also hostname labels). */
	alsoIn?: { table: PgTable; column: PgColumn }[];
}): Promise<string> {
	const taken = new Set<string>();
	for (const { table, column } of [
		{ table: args.table, column: args.column },
		...(args.alsoIn ?? [])
	]) {
		const rows = await args.db
			.select({ slug: column })
			.from(table)
			.where(or(eq(column, args.base), like(column, `${args.base}-%`)));
		for (const r of rows) taken.add(r.slug as string);
	}
	return availableSlug(args.base, (s) => taken.has(s));
}
