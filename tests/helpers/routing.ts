import { eq } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client.ts';
import { aliases, instanceSettings } from '../../src/lib/server/db/schema/index.ts';
import { loadInstanceSettings } from '../../src/lib/server/projects/limits.ts';
import { deploymentHostname } from '../../src/lib/server/proxy/hostnames.ts';
import type { TestCaddy } from './caddy.ts';

/** What the `versioned` fixture answers: which build and which deployment served a request. */
export type Served = { version: string; deployment: string; greeting: string | null };

export async function served(caddy: TestCaddy, host: string): Promise<Served | { status: number }> {
	const res = await caddy.get(host);
	if (res.status !== 200) return { status: res.status };
	try {
		return JSON.parse(res.body) as Served;
	} catch {
		return { status: res.status };
	}
}

export const immutableHost = (slug: string, deploymentId: string) =>
	deploymentHostname({ projectSlug: slug, deploymentId, domain: 'localhost' });

export async function aliasRows(db: Db, projectId: string) {
	return db.select().from(aliases).where(eq(aliases.projectId, projectId));
}

/** Short drain and retention so retirement can be watched within a test. */
export async function setRetention(db: Db, args: { drainSeconds: number; imageRetention: number }) {
	await loadInstanceSettings(db);
	await db.update(instanceSettings).set(args);
}
