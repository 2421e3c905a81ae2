import type { Keyring } from '../crypto/secret-box.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { diffEnv } from './diff.ts';
import { parseDotenv } from './dotenv.ts';
import { assertEnvironmentOfProject, listEnvVars, setEnvVar, type EnvScope } from './store.ts';

type ImportArgs = { db: Db; keyring: Keyring; projectId: string; text: string } & EnvScope;

async function currentValues(args: ImportArgs) {
	const rows = await listEnvVars(args);
	const inScope = rows.filter(
		(r) => r.environmentId === args.environmentId && r.branch === args.branch
	);
	return Object.fromEntries(inScope.map((r) => [r.key, r.value]));
}

/** What a paste would do, without saving: keys only, never values. */
export async function previewDotenvImport(args: ImportArgs) {
	await assertEnvironmentOfProject(args.db, args.projectId, args.environmentId);
	const parsed = parseDotenv({ text: args.text });
	const incoming = Object.fromEntries(parsed.entries.map((e) => [e.key, e.value]));
	const diff = diffEnv({ current: await currentValues(args), incoming });
	// A paste only adds and changes: variables missing from it stay.
	return { ...diff, removed: [], errors: parsed.errors, warnings: parsed.warnings };
}

/** Saves a paste in one transaction; refuses it whole when any line has an error. */
export async function importDotenv(args: ImportArgs & { isSecret: boolean; isBuildTime: boolean }) {
	const parsed = parseDotenv({ text: args.text });
	if (parsed.errors.length > 0) {
		const first = parsed.errors[0];
		throw new AppError('INVALID', `${first.message} Fix it and paste again; nothing was saved.`, {
			field: 'text'
		});
	}
	if (parsed.entries.length === 0)
		throw new AppError('INVALID', 'The paste has no variables.', { field: 'text' });
	await args.db.transaction(async (tx) => {
		for (const entry of parsed.entries) {
			await setEnvVar({
				db: tx,
				keyring: args.keyring,
				projectId: args.projectId,
				scope: { environmentId: args.environmentId, branch: args.branch },
				key: entry.key,
				value: entry.value,
				isSecret: args.isSecret,
				isBuildTime: args.isBuildTime
			});
		}
	});
	return { saved: parsed.entries.map((e) => e.key) };
}
