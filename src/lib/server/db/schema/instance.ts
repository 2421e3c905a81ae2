import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const signupMode = pgEnum('signup_mode', ['open', 'invite_only', 'allowlist']);

/** One row (id = 1) of instance-wide settings, edited by instance admins. */
export const instanceSettings = pgTable(
	'instance_settings',
	{
		id: integer().primaryKey().default(1),
		/** Labels every container of this instance: two instances may share one Docker engine. */
		instanceId: uuid().notNull().defaultRandom(),
		signupMode: signupMode().notNull().default('open'),
		/** Emails, `@domain` suffixes or `*` patterns allowed to sign up in allowlist mode. */
		signupAllowlist: jsonb().$type<string[]>().notNull().default([]),
		/** Defaults for new projects, and the most a project may ask for. */
		defaultCpuMillicores: integer().notNull().default(1000),
		defaultMemoryMb: integer().notNull().default(512),
		maxCpuMillicores: integer().notNull().default(2000),
		maxMemoryMb: integer().notNull().default(2048),
		/** Builds: how many at once on the instance, and the caps that keep apps responsive. */
		buildConcurrency: integer().notNull().default(2),
		buildTimeoutSeconds: integer().notNull().default(900),
		buildCpuMillicores: integer().notNull().default(1500),
		buildMemoryMb: integer().notNull().default(2048),
		/** PEM bundle trusted inside builds (for TLS-intercepting proxies). */
		extraCaCertificates: text(),
		/** Images kept per project for rollback (aliased deployments are always kept). */
		imageRetention: integer().notNull().default(5),
		/** Seconds a replaced deployment keeps serving in-flight requests before it is stopped. */
		drainSeconds: integer().notNull().default(30),
		/** Log lines older than this many days are deleted (hourly, in batches). */
		logRetentionDays: integer().notNull().default(14),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [check('instance_settings_single_row', sql`${t.id} = 1`)]
);
