import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgEnum, pgTable, timestamp } from 'drizzle-orm/pg-core';

export const signupMode = pgEnum('signup_mode', ['open', 'invite_only', 'allowlist']);

/** One row (id = 1) of instance-wide settings, edited by instance admins. */
export const instanceSettings = pgTable(
	'instance_settings',
	{
		id: integer().primaryKey().default(1),
		signupMode: signupMode().notNull().default('open'),
		/** Emails, `@domain` suffixes or `*` patterns allowed to sign up in allowlist mode. */
		signupAllowlist: jsonb().$type<string[]>().notNull().default([]),
		defaultCpuLimit: integer().notNull().default(1000),
		defaultMemoryLimitMb: integer().notNull().default(512),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [check('instance_settings_single_row', sql`${t.id} = 1`)]
);
