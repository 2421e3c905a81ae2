import { and, eq } from 'drizzle-orm';
import { generateToken, hashToken } from '../auth/tokens.ts';
import type { Db } from '../db/client.ts';
import { deployHooks } from '../db/schema/index.ts';
import { validateBranchName } from '../environments/branch-match.ts';
import { notFound } from '../errors.ts';
import { createDeployment, type DeployContext } from './create.ts';

const HOOK_PREFIX = 'slh_';

/** Returns the secret URL path once; only the token's hash is stored. */
export async function createDeployHook(args: {
	db: Db;
	projectId: string;
	name: string;
	branch?: string | null;
}) {
	const token = generateToken(HOOK_PREFIX);
	const branch = args.branch ? validateBranchName(args.branch) : null;
	const [hook] = await args.db
		.insert(deployHooks)
		.values({ projectId: args.projectId, name: args.name, branch, tokenHash: hashToken(token) })
		.returning({ id: deployHooks.id, name: deployHooks.name, branch: deployHooks.branch });
	return { ...hook, path: `/api/hooks/deploy/${token}` };
}

/** A new secret for the same hook: the old URL stops working at once. */
export async function rotateDeployHook(args: { db: Db; projectId: string; id: string }) {
	const token = generateToken(HOOK_PREFIX);
	const [hook] = await args.db
		.update(deployHooks)
		.set({ tokenHash: hashToken(token) })
		.where(and(eq(deployHooks.id, args.id), eq(deployHooks.projectId, args.projectId)))
		.returning({ id: deployHooks.id, name: deployHooks.name, branch: deployHooks.branch });
	if (!hook) throw notFound('Deploy hook');
	return { ...hook, path: `/api/hooks/deploy/${token}` };
}

export async function deleteDeployHook(args: { db: Db; projectId: string; id: string }) {
	const deleted = await args.db
		.delete(deployHooks)
		.where(and(eq(deployHooks.id, args.id), eq(deployHooks.projectId, args.projectId)))
		.returning({ id: deployHooks.id });
	if (deleted.length === 0) throw notFound('Deploy hook');
}

/** POST /api/hooks/deploy/<token>: deploys the hook's branch (or the one asked for). */
export async function triggerDeployHook(
	ctx: DeployContext,
	args: { token: string; branch?: string | null }
) {
	if (!args.token.startsWith(HOOK_PREFIX) || args.token.length > 100) throw notFound('Deploy hook');
	const [hook] = await ctx.db
		.select()
		.from(deployHooks)
		.where(eq(deployHooks.tokenHash, hashToken(args.token)));
	if (!hook) throw notFound('Deploy hook');
	return createDeployment(ctx, {
		projectId: hook.projectId,
		branch: args.branch ?? hook.branch ?? undefined,
		trigger: 'deploy_hook'
	});
}
