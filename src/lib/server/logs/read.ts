import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { deploymentLogs } from '../db/schema/index.ts';

/** A page of a deployment's log in order; `after` is the last id the reader has. */
export async function readDeploymentLogs(args: {
	db: Db;
	deploymentId: string;
	after?: number;
	limit?: number;
}) {
	return args.db
		.select({
			id: deploymentLogs.id,
			stream: deploymentLogs.stream,
			line: deploymentLogs.line,
			at: deploymentLogs.at
		})
		.from(deploymentLogs)
		.where(
			and(
				eq(deploymentLogs.deploymentId, args.deploymentId),
				args.after ? gt(deploymentLogs.id, args.after) : undefined
			)
		)
		.orderBy(asc(deploymentLogs.id))
		.limit(Math.min(args.limit ?? 1000, 5000));
}

/**
 * The `limit` lines just before `beforeId` (the oldest id the reader has), oldest first: a
 * deployment page loads the start of a long log a page at a time, on demand.
 */
export async function readDeploymentLogsBefore(args: {
	db: Db;
	deploymentId: string;
	beforeId: number;
	limit: number;
}) {
	const rows = await args.db
		.select({
			id: deploymentLogs.id,
			stream: deploymentLogs.stream,
			line: deploymentLogs.line,
			at: deploymentLogs.at
		})
		.from(deploymentLogs)
		.where(
			and(eq(deploymentLogs.deploymentId, args.deploymentId), lt(deploymentLogs.id, args.beforeId))
		)
		.orderBy(desc(deploymentLogs.id))
		.limit(args.limit);
	return rows.reverse();
}
