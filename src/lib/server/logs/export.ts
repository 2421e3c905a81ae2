import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { deployments, projects } from '../db/schema/index.ts';
import { readDeploymentLogs } from './read.ts';
import { stripAnsi } from './strip-ansi.ts';

const PAGE = 5000;

/** One line of the downloadable text: `<ISO time> [<stream>] <text without escapes>`. */
export function formatLogLine(row: { stream: string; line: string; at: Date }): string {
	return `${row.at.toISOString()} [${row.stream}] ${stripAnsi(row.line)}\n`;
}

/**
 * A deployment's whole log as text, streamed page by page in id order, so a log of millions of
 * lines never sits in memory. Stops reading when the client goes away.
 */
export function streamDeploymentLogText(args: { db: Db; deploymentId: string }) {
	const encoder = new TextEncoder();
	let after = 0;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			const rows = await readDeploymentLogs({
				db: args.db,
				deploymentId: args.deploymentId,
				after,
				limit: PAGE
			});
			if (rows.length > 0) {
				after = rows.at(-1)!.id;
				controller.enqueue(encoder.encode(rows.map(formatLogLine).join('')));
			}
			if (rows.length < PAGE) controller.close();
		}
	});
}

/** The team a deployment belongs to, for `authorizeTeamResource`; undefined when there is none. */
export async function findDeploymentTeam(db: Db, deploymentId: string) {
	const [row] = await db
		.select({ id: deployments.id, teamId: projects.teamId, projectSlug: projects.slug })
		.from(deployments)
		.innerJoin(projects, eq(projects.id, deployments.projectId))
		.where(eq(deployments.id, deploymentId));
	return row;
}
