import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import {
	matchBranchPattern,
	matchEnvironment,
	validateBranchName,
	validateBranchPattern
} from './branch-match.ts';

function errorOf(fn: () => unknown): AppError {
	try {
		fn();
	} catch (e) {
		if (e instanceof AppError) return e;
		throw e;
	}
	throw new Error('expected an AppError');
}

describe('validateBranchName', () => {
	it.each([
		'main',
		'release/1.2',
		'feature/add-login',
		'fix_123',
		'v1.0.0',
		'dependabot/npm_and_yarn/vite-8.3.8',
		'a.b/c-d',
		'@foo',
		'x'.repeat(255)
	])('accepts %s', (name) => {
		expect(validateBranchName(name)).toBe(name);
	});

	it.each([
		['', /Enter a branch name/],
		['my branch', /spaces/],
		['tab\there', /spaces or control/],
		['bell\x07', /control/],
		['café', /ASCII/],
		['功能', /ASCII/],
		['🚀-launch', /ASCII/],
		['a..b', /"\.\."/],
		['a~1', /~ \^ :/],
		['a^b', /~ \^ :/],
		['a:b', /~ \^ :/],
		['what?', /~ \^ :/],
		['star*', /~ \^ :/],
		['a[0]', /~ \^ :/],
		['back\\slash', /~ \^ :/],
		['a@{1}', /@\{/],
		['@', /@\{/],
		['/leading', /start or end with "\/"/],
		['trailing/', /start or end with "\/"/],
		['a//b', /"\/\/"/],
		['-rf', /start with "-"/],
		['ends.', /end with "\."/],
		['feature.lock', /\.lock/],
		['a/.hidden', /starts with "\."/],
		['.hidden', /starts with "\."/],
		['HEAD', /HEAD/],
		['x'.repeat(256), /at most 255/]
	])('rejects %j', (name, message) => {
		const error = errorOf(() => validateBranchName(name));
		expect(error).toMatchObject({ code: 'INVALID', field: 'branch' });
		expect(error.message).toMatch(message);
	});

	it('puts the error on the field the caller names', () => {
		expect(errorOf(() => validateBranchName('a b', { field: 'productionBranch' })).field).toBe(
			'productionBranch'
		);
	});
});

describe('validateBranchPattern', () => {
	it.each(['main', 'release/*', '*-hotfix', 'feature/*', '*', 'v*', '*.x'])('accepts %s', (p) => {
		expect(validateBranchPattern(p)).toBe(p);
	});

	it.each([
		['', /Enter a branch/],
		['release/*/final', /at most one \*/],
		['*release*', /at most one \*/],
		['a**', /at most one \*/],
		['release /*', /spaces/],
		['*.lock', /\.lock/],
		['-*', /start with "-"/],
		['*/', /end with "\/"/],
		['rélease/*', /ASCII/],
		['a..*', /"\.\."/]
	])('rejects %j', (pattern, message) => {
		const error = errorOf(() => validateBranchPattern(pattern));
		expect(error).toMatchObject({ code: 'INVALID', field: 'branchPattern' });
		expect(error.message).toMatch(message);
	});
});

describe('matchBranchPattern', () => {
	it.each([
		['main', 'main', true],
		['main', 'main2', false],
		['main', 'xmain', false],
		['release/*', 'release/1.2', true],
		['release/*', 'release/a/b', true],
		['release/*', 'release', false],
		['release/*', 'prerelease/1', false],
		['*-hotfix', 'login-hotfix', true],
		['*-hotfix', 'login-hotfix-2', false],
		['*', 'anything', true]
	])('%s against %s → %s', (pattern, branch, expected) => {
		expect(matchBranchPattern({ pattern, branch })).toBe(expected);
	});
});

describe('matchEnvironment', () => {
	const environments = [
		{ id: 'e1', name: 'Staging', pattern: 'staging' },
		{ id: 'e2', name: 'Release', pattern: 'release/*' },
		{ id: 'e3', name: 'Everything released', pattern: 'release/*' },
		{ id: 'e4', name: 'Hotfix', pattern: '*-hotfix' }
	];
	const match = (branch: string, previewsEnabled = true) =>
		matchEnvironment({ productionBranch: 'main', environments, branch, previewsEnabled });

	it('sends the production branch to production before any pattern', () => {
		expect(match('main')).toEqual({ kind: 'production' });
		expect(
			matchEnvironment({
				productionBranch: 'release/1',
				environments,
				branch: 'release/1',
				previewsEnabled: true
			})
		).toEqual({ kind: 'production' });
	});

	it('uses the first environment whose pattern matches', () => {
		expect(match('release/2.0')).toMatchObject({
			kind: 'environment',
			environmentName: 'Release',
			environment: { id: 'e2' }
		});
		expect(match('staging')).toMatchObject({ environmentName: 'Staging' });
		expect(match('login-hotfix')).toMatchObject({ environmentName: 'Hotfix' });
	});

	it('deploys other branches as previews only when previews are on', () => {
		expect(match('feature/x')).toEqual({ kind: 'preview' });
		expect(match('feature/x', false)).toEqual({ kind: 'none' });
		expect(match('release/9', false)).toMatchObject({ kind: 'environment' });
	});
});
