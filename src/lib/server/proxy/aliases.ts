import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { aliases } from '../db/schema/index.ts';
import { aliasKey, aliasLabel, disambiguateLabel, type AliasTarget } from './hostnames.ts';

export type Alias = typeof aliases.$inferSelect;

/**
 * The alias row of `target`, made on first use. Its label is fixed from then on; when another
 * alias already holds the natural label, this one gets a hashed suffix instead (never a steal).
 */
export async function ensureAlias(
	db: Db | Tx,
	args: {
		projectId: string;
		projectSlug: string;
		environmentId: string | null;
		target: AliasTarget;
	}
): Promise<Alias> {
	const { kind, key } = aliasKey(args.target);
	const find = async () => {
		const [row] = await db
			.select()
			.from(aliases)
			.where(
				and(eq(aliases.projectId, args.projectId), eq(aliases.kind, kind), eq(aliases.key, key))
			);
		return row;
	};
	const existing = await find();
	if (existing) return existing;
	const natural = aliasLabel({ projectSlug: args.projectSlug, target: args.target });
	for (const label of [
		natural,
		disambiguateLabel(natural, `${args.projectId}\u0000${kind}\u0000${key}`)
	]) {
		const [row] = await db
			.insert(aliases)
			.values({
				projectId: args.projectId,
				kind,
				key,
				label,
				environmentId: args.environmentId
			})
			.onConflictDoNothing()
			.returning();
		if (row) return row;
		// Made meanwhile by a concurrent deploy of the same branch?
		const raced = await find();
		if (raced) return raced;
	}
	throw new Error(`no free hostname label for ${natural}`);
}

/**
 * What a healthy deployment goes live on: the alias it was created for (production, its
 * environment or its preview branch), plus its branch alias when that is a different one.
 */
export function aliasTargetsOf(snapshotAlias: AliasTarget, branch: string): AliasTarget[] {
	if (snapshotAlias.kind === 'branch' || snapshotAlias.kind === 'pull_request') {
		return [snapshotAlias];
	}
	return [snapshotAlias, { kind: 'branch', branch }];
}

/**
 * Points aliases at a deployment. What each pointed at before becomes its `previous` (kept
 * running for an instant rollback); re-pointing at the same deployment changes nothing.
 */
export async function pointAliases(tx: Tx, args: { aliasIds: string[]; deploymentId: string }) {
	if (args.aliasIds.length === 0) return;
	await tx
		.update(aliases)
		.set({
			previousDeploymentId: sql`case when ${aliases.deploymentId} is distinct from ${args.deploymentId}::uuid then ${aliases.deploymentId} else ${aliases.previousDeploymentId} end`,
			deploymentId: args.deploymentId,
			updatedAt: new Date()
		})
		.where(inArray(aliases.id, args.aliasIds));
}

/** Deployment ids of a project that an alias points at now or pointed at just before. */
export async function referencedDeploymentIds(db: Db | Tx, projectId: string) {
	const rows = await db
		.select({ current: aliases.deploymentId, previous: aliases.previousDeploymentId })
		.from(aliases)
		.where(eq(aliases.projectId, projectId));
	const ids = new Set<string>();
	for (const r of rows) {
		if (r.current) ids.add(r.current);
		if (r.previous) ids.add(r.previous);
	}
	return ids;
}

/** Every alias of a project, for the API and the UI. */
export function listAliases(db: Db, projectId: string) {
	return db
		.select()
		.from(aliases)
		.where(eq(aliases.projectId, projectId))
		.orderBy(aliases.kind, aliases.key);
}

/** Whether any alias uses this label (project slugs must not collide with one). */
export async function labelTaken(db: Db | Tx, labels: string[]) {
	if (labels.length === 0) return new Set<string>();
	const rows = await db
		.select({ label: aliases.label })
		.from(aliases)
		.where(or(...labels.map((l) => eq(aliases.label, l))));
	return new Set(rows.map((r) => r.label));
}
