import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { deployments } from '../../db/schema/index.ts';
import { announceDeployment } from '../announce.ts';
import {
	canTransition,
	isTerminal,
	type DeploymentState,
	type FailureStage
} from '../state-machine.ts';

export type Deployment = typeof deployments.$inferSelect;

/**
 * Moves a deployment to `to` only if it is still in a state that allows it, in one statement.
 * Returns null when someone else moved it first (a cancel, a second run of the task).
 */
export async function moveDeployment(args: {
	db: Db | Tx;
	id: string;
	to: DeploymentState;
	set?: Partial<typeof deployments.$inferInsert>;
	where?: SQL;
	/** Inside a transaction: announce after the commit instead (see announceDeployment). */
	announce?: false;
}): Promise<Deployment | null> {
	const from = (['queued', 'building', 'starting'] as const).filter((s) =>
		canTransition({ from: s, to: args.to })
	);
	const now = new Date();
	const [row] = await args.db
		.update(deployments)
		.set({
			...args.set,
			state: args.to,
			updatedAt: now,
			...(isTerminal(args.to) ? { finishedAt: now } : {})
		})
		.where(and(eq(deployments.id, args.id), inArray(deployments.state, from), args.where))
		.returning();
	if (row && args.announce !== false) void announceDeployment(args.db as Db, row);
	return row ?? null;
}

/** Ends a deployment as failed with the stage and a reason the user can act on. */
export function failDeployment(args: { db: Db; id: string; stage: FailureStage; reason: string }) {
	return moveDeployment({
		db: args.db,
		id: args.id,
		to: 'failed',
		set: { failureStage: args.stage, failureReason: args.reason, heartbeatAt: null }
	});
}
