import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeKeyId, decryptSecret } from '../../src/lib/server/crypto/secret-box.ts';
import { envSnapshotAad } from '../../src/lib/server/deployments/create.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { createGitRepo, removeGitRepos, sampleApps } from '../helpers/git-repo.ts';
import { makeUser, testKeyring } from '../helpers/world.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let alice: Awaited<ReturnType<typeof makeUser>>;
let scope: { teamSlug: string; projectSlug: string };
let stagingId: string;

beforeAll(async () => {
	t = await createTestDatabase('env_vars');
	alice = await makeUser(t.db, 'Alice');
	const repo = await createGitRepo({ files: sampleApps.node });
	const project = await alice.caller.projects.create({
		teamSlug: alice.team.slug,
		name: 'Env App',
		repoUrl: repo.path
	});
	scope = { teamSlug: alice.team.slug, projectSlug: project.slug };
	stagingId = (
		await alice.caller.environments.create({
			...scope,
			name: 'Staging',
			branchPattern: 'release/*'
		})
	).id;
});
afterAll(async () => {
	await removeGitRepos();
	await t.drop();
});

const list = () => alice.caller.envVars.list(scope);
const set = (input: {
	key: string;
	value: string;
	isSecret?: boolean;
	isBuildTime?: boolean;
	environmentId?: string | null;
	branch?: string | null;
}) => alice.caller.envVars.set({ ...scope, ...input });
const rowCount = async () =>
	(await t.db.execute<{ n: number }>(sql`select count(*)::int as n from env_vars`))[0].n;

/** What a deployment created now would run with, read back from its sealed snapshot. */
async function snapshotOf(deploymentId: string) {
	const [row] = await t.db.execute<{ sealed: string }>(
		sql`select env_snapshot_sealed as sealed from deployments where id = ${deploymentId}`
	);
	const text = decryptSecret({
		keyring: testKeyring,
		sealed: row.sealed,
		aad: envSnapshotAad(deploymentId)
	});
	return JSON.parse(text) as { runtime: Record<string, string>; build: Record<string, string> };
}
const deploy = async (branch: string) =>
	(await alice.caller.deployments.create({ ...scope, branch })).id;

describe('setting and listing variables', () => {
	it('shows plain values and hides secret ones', async () => {
		const saved = await set({ key: 'PLAIN', value: 'hello world' });
		expect(saved).toMatchObject({ key: 'PLAIN' });
		expect(JSON.stringify(saved)).not.toContain('hello world');
		await set({ key: 'API_SECRET', value: 'hunter2-secret', isSecret: true });

		const vars = await list();
		expect(vars.find((v) => v.key === 'PLAIN')).toMatchObject({
			value: 'hello world',
			isSecret: false,
			environmentId: null,
			branch: null
		});
		expect(vars.find((v) => v.key === 'API_SECRET')).toMatchObject({
			value: null,
			isSecret: true
		});
		expect(JSON.stringify(vars)).not.toContain('hunter2-secret');
	});

	it('replaces the value when the same key is set again in the same scope', async () => {
		await set({ key: 'REPLACED', value: 'one' });
		await set({ key: 'REPLACED', value: 'two' });
		const rows = (await list()).filter((v) => v.key === 'REPLACED');
		expect(rows).toEqual([expect.objectContaining({ value: 'two' })]);
	});

	it('stores values encrypted with a key id, never in clear', async () => {
		const rows = await t.db.execute<{ key: string; sealed: string }>(
			sql`select key, value_sealed as sealed from env_vars where key in ('PLAIN', 'API_SECRET')`
		);
		expect(rows).toHaveLength(2);
		for (const row of rows) {
			expect(row.sealed).toMatch(new RegExp(`^v1\\.${computeKeyId(testKeyring.current)}\\.`));
			expect(row.sealed).not.toContain('hello');
			expect(row.sealed).not.toContain('hunter2');
			expect(Buffer.from(row.sealed.split('.')[4], 'base64url').toString()).not.toMatch(
				/hello|hunter2/
			);
		}
	});

	it('deletes a variable, and answers a second delete with not found', async () => {
		const { id } = await set({ key: 'TEMPORARY', value: 'x' });
		await alice.caller.envVars.delete({ ...scope, id });
		expect((await list()).map((v) => v.key)).not.toContain('TEMPORARY');
		await expect(alice.caller.envVars.delete({ ...scope, id })).rejects.toMatchObject({
			code: 'NOT_FOUND',
			message: 'Variable not found.'
		});
	});
});

describe('refusing bad variables, with nothing saved', () => {
	it.each([
		['1ABC', /use letters, digits and underscores, and do not start with a digit/],
		['A-B', /use letters, digits and underscores/],
		['', /Enter a name for the variable/],
		['WITH SPACE', /use letters, digits and underscores/]
	])('refuses the key %j', async (key, message) => {
		const before = await rowCount();
		await expect(set({ key, value: 'v' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(message),
			cause: expect.objectContaining({ field: 'key' })
		});
		expect(await rowCount()).toBe(before);
	});

	it('refuses a NUL in a value without echoing the value', async () => {
		const before = await rowCount();
		const error = await set({ key: 'NUL_VALUE', value: 'top\0secret' }).catch((e) => e);
		expect(error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/NUL/) });
		expect(error.message).not.toContain('secret');
		expect(await rowCount()).toBe(before);
	});

	it('refuses an environment that is not part of the project', async () => {
		const before = await rowCount();
		await expect(
			set({ key: 'GHOST', value: 'x', environmentId: '00000000-0000-4000-8000-000000000000' })
		).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Environment not found.' });
		await expect(set({ key: 'GHOST', value: 'x', branch: 'bad branch' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/cannot contain spaces/)
		});
		expect(await rowCount()).toBe(before);
	});
});

describe('scopes', () => {
	it('lets an environment value override the all-environments one, and a branch value a preview', async () => {
		await set({ key: 'GREETING', value: 'hello everywhere' });
		await set({ key: 'GREETING', value: 'hello staging', environmentId: stagingId });
		await set({ key: 'PREVIEW_ONLY', value: 'for feature/x', branch: 'feature/x' });

		const greetings = (await list()).filter((v) => v.key === 'GREETING');
		expect(greetings).toHaveLength(2);
		expect(greetings).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ environmentId: null, value: 'hello everywhere' }),
				expect.objectContaining({ environmentId: stagingId, value: 'hello staging' })
			])
		);

		const production = await snapshotOf(await deploy('main'));
		const staging = await snapshotOf(await deploy('release/1'));
		const preview = await snapshotOf(await deploy('feature/x'));
		const otherPreview = await snapshotOf(await deploy('feature/y'));
		expect(production.runtime.GREETING).toBe('hello everywhere');
		expect(staging.runtime.GREETING).toBe('hello staging');
		expect(preview.runtime).toMatchObject({
			GREETING: 'hello everywhere',
			PREVIEW_ONLY: 'for feature/x'
		});
		expect(otherPreview.runtime.PREVIEW_ONLY).toBeUndefined();
		expect(production.runtime.PREVIEW_ONLY).toBeUndefined();
		// The secret is part of what the app runs with, even though nobody can read it back.
		expect(production.runtime.API_SECRET).toBe('hunter2-secret');
	});

	it('gives only build-time variables to the build', async () => {
		await set({ key: 'NEXT_PUBLIC_API', value: 'https://api.example.com', isBuildTime: true });
		const snapshot = await snapshotOf(await deploy('main'));
		expect(snapshot.build).toMatchObject({ NEXT_PUBLIC_API: 'https://api.example.com' });
		expect(snapshot.build.PLAIN).toBeUndefined();
		expect(snapshot.runtime.NEXT_PUBLIC_API).toBe('https://api.example.com');
	});
});

describe('the env snapshot of a deployment', () => {
	it('keeps the values a deployment was created with', async () => {
		await set({ key: 'RELEASE', value: 'first' });
		const first = await deploy('main');
		await set({ key: 'RELEASE', value: 'second' });
		const { id: gone } = await set({ key: 'REMOVED_LATER', value: 'still here' });
		const second = await deploy('main');
		await alice.caller.envVars.delete({ ...scope, id: gone });

		expect((await snapshotOf(first)).runtime.RELEASE).toBe('first');
		expect((await snapshotOf(second)).runtime).toMatchObject({
			RELEASE: 'second',
			REMOVED_LATER: 'still here'
		});
		const [row] = await t.db.execute<{ sealed: string }>(
			sql`select env_snapshot_sealed as sealed from deployments where id = ${first}`
		);
		expect(row.sealed).toMatch(/^v1\./);
		expect(row.sealed).not.toContain('first');
	});

	it('is bound to its deployment: copied onto another one it does not open', async () => {
		const a = await deploy('main');
		const b = await deploy('release/2');
		await t.db.execute(
			sql`update deployments set env_snapshot_sealed = (select env_snapshot_sealed from deployments where id = ${a}) where id = ${b}`
		);
		await expect(snapshotOf(b)).rejects.toMatchObject({ code: 'INVALID' });
	});
});

describe('.env import', () => {
	const paste = [
		'# exported from Heroku',
		'PLAIN=changed',
		'export NEW_ONE=1',
		'QUOTED="two words"',
		'this line is wrong',
		'1BAD=x',
		'MULTI="line one',
		'line two"'
	].join('\n');

	it('previews added and changed keys and the bad lines, saving nothing', async () => {
		const before = await list();
		const preview = await alice.caller.envVars.previewImport({ ...scope, text: paste });
		expect(preview).toMatchObject({
			added: ['NEW_ONE', 'QUOTED', 'MULTI'],
			changed: ['PLAIN'],
			removed: []
		});
		expect(preview.errors.map((e) => e.line)).toEqual([5, 6]);
		expect(preview.errors[0].message).toMatch(/expected KEY=value/);
		expect(preview.errors[1].message).toMatch(/"1BAD".*do not start with a digit/);
		expect(JSON.stringify(preview)).not.toContain('two words');
		expect(await list()).toEqual(before);
	});

	it('counts a secret in the paste as changed without showing it', async () => {
		const preview = await alice.caller.envVars.previewImport({
			...scope,
			text: 'API_SECRET=hunter2-secret\n'
		});
		expect(preview).toMatchObject({ added: [], changed: ['API_SECRET'] });
	});

	it('saves nothing when any line is bad, and says which line', async () => {
		const before = await rowCount();
		const error = await alice.caller.envVars.import({ ...scope, text: paste }).catch((e) => e);
		expect(error).toMatchObject({ code: 'BAD_REQUEST' });
		expect(error.message, 'the line number is repeated ("Line 5: Line 5: …")').not.toMatch(
			/Line 5: Line 5/
		);
		expect(error.message).toMatch(/^Line 5: expected KEY=value\..*nothing was saved/);
		expect(await rowCount()).toBe(before);
		expect((await list()).find((v) => v.key === 'PLAIN')?.value).toBe('hello world');
	});

	it('saves every entry of a clean paste in the chosen scope', async () => {
		const clean = paste
			.split('\n')
			.filter((line) => !/wrong|1BAD/.test(line))
			.join('\n');
		const result = await alice.caller.envVars.import({
			...scope,
			environmentId: stagingId,
			text: clean
		});
		expect(result.saved).toEqual(['PLAIN', 'NEW_ONE', 'QUOTED', 'MULTI']);
		const staging = (await list()).filter((v) => v.environmentId === stagingId);
		expect(Object.fromEntries(staging.map((v) => [v.key, v.value]))).toMatchObject({
			PLAIN: 'changed',
			NEW_ONE: '1',
			QUOTED: 'two words',
			MULTI: 'line one\nline two'
		});
		// The all-environments value is untouched.
		expect((await list()).find((v) => v.key === 'PLAIN' && v.environmentId === null)?.value).toBe(
			'hello world'
		);
	});

	it('imports secrets as secrets', async () => {
		await alice.caller.envVars.import({ ...scope, text: 'DB_PASSWORD=s3cr3t\n', isSecret: true });
		expect((await list()).find((v) => v.key === 'DB_PASSWORD')).toMatchObject({
			isSecret: true,
			value: null
		});
	});

	it('refuses an empty paste and an environment of nowhere', async () => {
		await expect(
			alice.caller.envVars.import({ ...scope, text: '# only a comment\n' })
		).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'The paste has no variables.' });
		const before = await rowCount();
		await expect(
			alice.caller.envVars.import({
				...scope,
				environmentId: '00000000-0000-4000-8000-000000000000',
				text: 'A=1\nB=2\n'
			})
		).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(
			alice.caller.envVars.previewImport({
				...scope,
				environmentId: '00000000-0000-4000-8000-000000000000',
				text: 'A=1\n'
			})
		).rejects.toMatchObject({ code: 'NOT_FOUND' });
		expect(await rowCount()).toBe(before);
	});
});
