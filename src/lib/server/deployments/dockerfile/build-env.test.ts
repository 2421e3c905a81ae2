import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quoteForSh, serializeBuildEnv } from './build-env.ts';

/** What a build step sees after `set -a; . file; set +a`, read back through a real sh. */
function sourceWithSh(file: string, keys: string[]): Record<string, string> {
	const dir = mkdtempSync(join(tmpdir(), 'slipway-build-env-'));
	try {
		const path = join(dir, 'build-env');
		writeFileSync(path, file);
		const print = `node -e 'console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(keys)}.map((k) => [k, process.env[k]]))))'`;
		const result = spawnSync('/bin/sh', ['-c', `set -a; . "$1"; set +a\n${print}`, 'sh', path], {
			encoding: 'utf8',
			env: { PATH: process.env.PATH, HOME: '/nonexistent' }
		});
		expect(result.stderr).toBe('');
		return JSON.parse(result.stdout);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

describe('serializeBuildEnv', () => {
	it('gives a build step exactly the values, whatever characters they hold', () => {
		const vars = {
			QUOTES: `it's "quoted"`,
			DOLLARS: '$HOME ${PATH} $(id) `id`',
			MULTILINE: '-----BEGIN KEY-----\nabc\n-----END KEY-----\n',
			BACKSLASHES: 'a\\nb\\\\c\\',
			UNICODE: 'héllo ✓ 🚀',
			EMPTY: '',
			SPACES: '  padded  '
		};
		expect(sourceWithSh(serializeBuildEnv(vars), Object.keys(vars))).toEqual(vars);
	});

	it('sorts the keys, so equal env gives an equal file (and a cache hit)', () => {
		expect(serializeBuildEnv({ B: '2', A: '1' })).toBe("A='1'\nB='2'\n");
		expect(serializeBuildEnv({ B: '2', A: '1' })).toBe(serializeBuildEnv({ A: '1', B: '2' }));
	});

	it('refuses names a shell cannot export and values the kernel would cut', () => {
		expect(() => serializeBuildEnv({ 'NOT-A-NAME': 'x' })).toThrow(/not a valid name/);
		expect(() => serializeBuildEnv({ '1ST': 'x' })).toThrow(/not a valid name/);
		expect(() => serializeBuildEnv({ 'A; id': 'x' })).toThrow(/not a valid name/);
		const nul = () => serializeBuildEnv({ TOKEN: 'abc\0def' });
		expect(nul).toThrow(/NUL/);
		try {
			nul();
		} catch (error) {
			expect(String((error as Error).message)).not.toContain('abc');
		}
	});
});

describe('quoteForSh', () => {
	it('escapes single quotes only', () => {
		expect(quoteForSh(`a'b`)).toBe(`'a'\\''b'`);
		expect(quoteForSh('$x')).toBe(`'$x'`);
	});
});
