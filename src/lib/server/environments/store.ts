import { and, eq, sql } from 'drizzle-orm';
import { isUniqueViolation } from '../db/errors.ts';
import type { Db } from '../db/client.ts';
import { environments } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import { slugify } from '../teams/slug.ts';
import { validateBranchPattern } from './branch-match.ts';

/** A named environment (e.g. Staging) bound to a branch pattern; tried after existing ones. */
export async function createEnvironment(args: {
	db: Db;
	projectId: string;
	name: string;
	branchPattern: string;
}) {
	const slug = slugify(args.name).slice(0, 20).replace(/-+$/, '');
	if (slug === 'production' || slug === 'preview') {
		throw new AppError('CONFLICT', `"${args.name}" is reserved. Pick another name.`, {
			field: 'name'
		});
	}
	const pattern = validateBranchPattern(args.branchPattern);
	try {
		const [row] = await args.db
			.insert(environments)
			.values({
				projectId: args.projectId,
				name: args.name,
				slug,
				branchPattern: pattern,
				position: sql`(select coalesce(max(position), 0) + 1 from environments where project_id = ${args.projectId})`
			})
			.returning();
		return row;
	} catch (error) {
		if (isUniqueViolation(error)) {
			throw new AppError(
				'CONFLICT',
				`This project already has an environment called ${args.name}.`,
				{ field: 'name' }
			);
		}
		throw error;
	}
}

export async function updateEnvironment(args: {
	db: Db;
	projectId: string;
	id: string;
	branchPattern: string;
}) {
	const pattern = validateBranchPattern(args.branchPattern);
	const [current] = await args.db
		.select({ isProduction: environments.isProduction })
		.from(environments)
		.where(and(eq(environments.id, args.id), eq(environments.projectId, args.projectId)));
	if (current?.isProduction) {
		throw new AppError(
			'INVALID',
			"Production follows the project's production branch; change that in the general settings.",
			{ field: 'branchPattern' }
		);
	}
	const [row] = await args.db
		.update(environments)
		.set({ branchPattern: pattern })
		.where(
			and(
				eq(environments.id, args.id),
				eq(environments.projectId, args.projectId),
				eq(environments.isProduction, false)
			)
		)
		.returning();
	if (!row) throw notFound('Environment');
	return row;
}

/** Production cannot be deleted; deleting another one keeps its past deployments. */
export async function deleteEnvironment(args: { db: Db; projectId: string; id: string }) {
	const [row] = await args.db
		.select()
		.from(environments)
		.where(and(eq(environments.id, args.id), eq(environments.projectId, args.projectId)));
	if (!row) throw notFound('Environment');
	if (row.isProduction)
		throw new AppError('INVALID', 'Production is always there; it cannot be deleted.');
	await args.db.delete(environments).where(eq(environments.id, row.id));
}
