import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { teams } from './teams.ts';
import { users } from './users.ts';

/** Personal access tokens: scoped to one team, stored as SHA-256, shown once. */
export const apiTokens = pgTable(
	'api_tokens',
	{
		id: uuid().primaryKey().defaultRandom(),
		tokenHash: text().notNull().unique(),
		name: text().notNull(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		teamId: uuid()
			.notNull()
			.references(() => teams.id, { onDelete: 'cascade' }),
		expiresAt: timestamp({ withTimezone: true }),
		lastUsedAt: timestamp({ withTimezone: true }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('api_tokens_user_idx').on(t.userId)]
);
