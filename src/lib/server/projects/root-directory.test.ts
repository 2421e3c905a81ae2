import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { normalizeRootDirectory } from './root-directory.ts';

function errorOf(fn: () => unknown): AppError {
	try {
		fn();
	} catch (e) {
		if (e instanceof AppError) return e;
		throw e;
	}
	throw new Error('expected an AppError');
}

describe('normalizeRootDirectory', () => {
	it.each([
		['', ''],
		['.', ''],
		['./', ''],
		['  ', ''],
		['apps/web', 'apps/web'],
		['./apps/web/', 'apps/web'],
		['././apps//web/./', 'apps/web'],
		['services/api.v2', 'services/api.v2'],
		['my app', 'my app'],
		['.config/site', '.config/site'],
		['..foo/bar', '..foo/bar']
	])('normalises %j to %j', (input, expected) => {
		expect(normalizeRootDirectory(input)).toBe(expected);
	});

	it.each([
		['..', /remove the "\.\." parts/],
		['../secrets', /remove the "\.\." parts/],
		['apps/../../etc', /remove the "\.\." parts/],
		['./apps/..', /remove the "\.\." parts/],
		['/etc', /not an absolute path/],
		['~/app', /not an absolute path/],
		['C:/app', /not an absolute path/],
		['apps\\web', /Use "\/"/],
		['apps\0web', /NUL/],
		['apps\nweb', /control characters/],
		['a/'.repeat(200), /at most 255/]
	])('rejects %j', (input, message) => {
		const error = errorOf(() => normalizeRootDirectory(input));
		expect(error).toMatchObject({ code: 'INVALID', field: 'rootDirectory' });
		expect(error.message).toMatch(message);
	});
});
