import { and, asc, eq } from 'drizzle-orm';
import { decryptSecret, encryptSecret, type Keyring } from '../crypto/secret-box.ts';
import type { Db, Tx } from '../db/client.ts';
import { environments, envVars } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import { validateBranchName } from '../environments/branch-match.ts';
import { validateEnvKey, validateEnvValue } from './keys.ts';
import type { EnvVarValue } from './resolve.ts';

export type EnvScope = { environmentId: string | null; branch: string | null };

/** Binds a sealed value to its row's scope: a ciphertext copied elsewhere will not open. */
function aadFor(projectId: string, scope: EnvScope, key: string) {
	return `env:${projectId}:${scope.environmentId ?? '*'}:${scope.branch ?? '*'}:${key}`;
}

/** Refuses an environment id of another project (or a made-up one) as not found. */
export async function assertEnvironmentOfProject(
	db: Db | Tx,
	projectId: string,
	environmentId: string | null
) {
	if (!environmentId) return;
	const [row] = await db
		.select({ id: environments.id })
		.from(environments)
		.where(and(eq(environments.id, environmentId), eq(environments.projectId, projectId)));
	if (!row) throw notFound('Environment');
}

/** Secret values never leave the server: the list says a secret is set, not what it is. */
export async function listEnvVars(args: { db: Db; keyring: Keyring; projectId: string }) {
	const rows = await args.db
		.select()
		.from(envVars)
		.where(eq(envVars.projectId, args.projectId))
		.orderBy(asc(envVars.key));
	return rows.map((row) => ({
		id: row.id,
		key: row.key,
		environmentId: row.environmentId,
		branch: row.branch,
		isSecret: row.isSecret,
		isBuildTime: row.isBuildTime,
		updatedAt: row.updatedAt,
		value: row.isSecret
			? null
			: decryptSecret({
					keyring: args.keyring,
					sealed: row.valueSealed,
					aad: aadFor(args.projectId, row, row.key)
				})
	}));
}

export async function setEnvVar(args: {
	db: Db | Tx;
	keyring: Keyring;
	projectId: string;
	scope: EnvScope;
	key: string;
	value: string;
	isSecret: boolean;
	isBuildTime: boolean;
}) {
	const key = validateEnvKey(args.key);
	validateEnvValue(args.value);
	const scope = {
		environmentId: args.scope.environmentId,
		branch: args.scope.branch ? validateBranchName(args.scope.branch) : null
	};
	await assertEnvironmentOfProject(args.db, args.projectId, scope.environmentId);
	const valueSealed = encryptSecret({
		keyring: args.keyring,
		plaintext: args.value,
		aad: aadFor(args.projectId, scope, key)
	});
	const [row] = await args.db
		.insert(envVars)
		.values({
			projectId: args.projectId,
			...scope,
			key,
			valueSealed,
			isSecret: args.isSecret,
			isBuildTime: args.isBuildTime
		})
		.onConflictDoUpdate({
			target: [envVars.projectId, envVars.environmentId, envVars.branch, envVars.key],
			set: {
				valueSealed,
				isSecret: args.isSecret,
				isBuildTime: args.isBuildTime,
				updatedAt: new Date()
			}
		})
		.returning({ id: envVars.id, key: envVars.key });
	return row;
}

export async function deleteEnvVar(args: { db: Db; projectId: string; id: string }) {
	const deleted = await args.db
		.delete(envVars)
		.where(and(eq(envVars.id, args.id), eq(envVars.projectId, args.projectId)))
		.returning({ key: envVars.key });
	if (deleted.length === 0) throw notFound('Variable');
	return deleted[0];
}

/** The decrypted layers a deployment of `environmentId` / `branch` runs with. */
export async function loadEnvLayers(args: {
	db: Db | Tx;
	keyring: Keyring;
	projectId: string;
	environmentId: string | null;
	branch: string;
	/** Leave out variables marked secret (a fork's pull request runs without them). */
	omitSecrets?: boolean;
}): Promise<{ allEnvironments: EnvVarValue[]; environment: EnvVarValue[]; branch: EnvVarValue[] }> {
	const all = await args.db.select().from(envVars).where(eq(envVars.projectId, args.projectId));
	const rows = args.omitSecrets ? all.filter((r) => !r.isSecret) : all;
	const open = (row: typeof envVars.$inferSelect): EnvVarValue => ({
		key: row.key,
		buildTime: row.isBuildTime,
		value: decryptSecret({
			keyring: args.keyring,
			sealed: row.valueSealed,
			aad: aadFor(args.projectId, row, row.key)
		})
	});
	return {
		allEnvironments: rows.filter((r) => r.environmentId === null && r.branch === null).map(open),
		environment: args.environmentId
			? rows.filter((r) => r.environmentId === args.environmentId && r.branch === null).map(open)
			: [],
		branch: rows
			.filter(
				(r) =>
					r.branch === args.branch &&
					(r.environmentId === null || r.environmentId === args.environmentId)
			)
			.map(open)
	};
}
