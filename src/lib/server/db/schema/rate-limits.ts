import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Fixed-window counters, shared by every web replica. */
export const rateLimits = pgTable('rate_limits', {
	key: text().primaryKey(),
	windowStart: timestamp({ withTimezone: true }).notNull(),
	count: integer().notNull()
});
