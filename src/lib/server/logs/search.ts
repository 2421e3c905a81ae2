import { and, desc, eq, gte, ilike, inArray, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { deploymentLogs, deployments, environments } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { LogStream } from './writer.ts';

export const SEARCH_MAX_LIMIT = 200;
/** A search that scans too much is stopped rather than holding a connection for minutes. */
const SEARCH_TIMEOUT_MS = 5000;

export type LogSearch = {
	db: Db;
	projectId: string;
	/** Plain text, matched case-insensitively anywhere in the line (no wildcards). */
	text?: string;
	deploymentId?: string;
	/** An environment of the project, or `preview` for branch previews (no environment). */
	environmentId?: string | 'preview';
	streams?: LogStream[];
	from?: Date;
	to?: Date;
	/** Cursor: the smallest id of the previous page; this page is older. */
	before?: number;
	limit?: number;
};

/** `%` and `_` in the user's text are literal characters, not wildcards. */
export function likePattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Log lines of one project matching the filters, newest first, one bounded page at a time
 * (`nextBefore` continues). Served by the trigram index for text and the (deployment, id) index
 * otherwise; a query that still runs too long fails with a hint to narrow it.
 */
export async function searchProjectLogs(args: LogSearch) {
	const limit = Math.min(args.limit ?? 100, SEARCH_MAX_LIMIT);
	const env = args.environmentId;
	const filters: (SQL | undefined)[] = [
		eq(deployments.projectId, args.projectId),
		args.text ? ilike(deploymentLogs.line, likePattern(args.text)) : undefined,
		args.deploymentId ? eq(deploymentLogs.deploymentId, args.deploymentId) : undefined,
		env === 'preview' ? isNull(deployments.environmentId) : undefined,
		env && env !== 'preview' ? eq(deployments.environmentId, env) : undefined,
		args.streams?.length ? inArray(deploymentLogs.stream, args.streams) : undefined,
		args.from ? gte(deploymentLogs.at, args.from) : undefined,
		args.to ? lte(deploymentLogs.at, args.to) : undefined,
		args.before ? lt(deploymentLogs.id, args.before) : undefined
	];
	try {
		const rows = await args.db.transaction(async (tx) => {
			await tx.execute(sql.raw(`set local statement_timeout = ${SEARCH_TIMEOUT_MS}`));
			return tx
				.select({
					id: deploymentLogs.id,
					stream: deploymentLogs.stream,
					line: deploymentLogs.line,
					at: deploymentLogs.at,
					deployment: {
						id: deployments.id,
						branch: deployments.branch,
						commitSha: deployments.commitSha,
						environment: environments.name
					}
				})
				.from(deploymentLogs)
				.innerJoin(deployments, eq(deployments.id, deploymentLogs.deploymentId))
				.leftJoin(environments, eq(environments.id, deployments.environmentId))
				.where(and(...filters))
				.orderBy(desc(deploymentLogs.id))
				.limit(limit + 1);
		});
		const more = rows.length > limit;
		const page = more ? rows.slice(0, limit) : rows;
		return { lines: page, nextBefore: more ? page.at(-1)!.id : null };
	} catch (error) {
		if ((error as { code?: string }).code === '57014') {
			throw new AppError(
				'INVALID',
				'This search took too long. Narrow it: pick a deployment, a time range or longer text.'
			);
		}
		throw error;
	}
}
