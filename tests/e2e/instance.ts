import { readFileSync } from 'node:fs';
import { createDb } from '../../src/lib/server/db/client.ts';

/** What tests/e2e/serve.ts started: the suite's database and the port Caddy serves apps on. */
export function e2eInstance(): { databaseUrl: string; caddyHttpPort: number } {
	return JSON.parse(
		readFileSync(
			new URL(
				`../../test-results/e2e-instance-${process.env.E2E_PORT ?? 4173}.json`,
				import.meta.url
			),
			'utf8'
		)
	);
}

/** A connection to the suite's database, for setting up what the UI cannot (close it after). */
export function e2eDb() {
	return createDb(e2eInstance().databaseUrl, { max: 2 });
}
