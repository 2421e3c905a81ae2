import { describe, expect, it } from 'vitest';
import { buildPlatformEnv, type EnvVarValue, resolveDeploymentEnv } from './resolve.ts';

const platform = buildPlatformEnv({
	port: 8000,
	url: 'https://shop-env-staging.apps.test',
	environment: 'staging',
	deploymentId: 'd-123',
	branch: 'release/1.2',
	commitSha: 'abc123',
	commitMessage: 'Fix checkout',
	repo: 'acme/shop'
});

const v = (key: string, value: string, buildTime = false): EnvVarValue => ({
	key,
	value,
	buildTime
});

describe('buildPlatformEnv', () => {
	it('injects every variable product.md promises', () => {
		expect(platform).toEqual({
			PORT: '8000',
			SLIPWAY: '1',
			SLIPWAY_URL: 'https://shop-env-staging.apps.test',
			SLIPWAY_ENVIRONMENT: 'staging',
			SLIPWAY_DEPLOYMENT_ID: 'd-123',
			SLIPWAY_GIT_BRANCH: 'release/1.2',
			SLIPWAY_GIT_COMMIT_SHA: 'abc123',
			SLIPWAY_GIT_COMMIT_MESSAGE: 'Fix checkout',
			SLIPWAY_GIT_REPO: 'acme/shop'
		});
	});

	it('leaves out an unknown commit and keeps long or odd messages within env limits', () => {
		const env = buildPlatformEnv({
			port: 3000,
			url: 'http://x',
			environment: 'preview',
			deploymentId: 'd',
			branch: 'b',
			commitSha: null,
			commitMessage: `subject\0\n\n${'body '.repeat(2000)}`,
			repo: 'r'
		});
		expect(env).not.toHaveProperty('SLIPWAY_GIT_COMMIT_SHA');
		expect(env.SLIPWAY_GIT_COMMIT_MESSAGE).toHaveLength(4096);
		expect(env.SLIPWAY_GIT_COMMIT_MESSAGE.startsWith('subject\n\nbody')).toBe(true);
		const withoutMessage = { port: 1, url: '', environment: '', deploymentId: '', branch: '' };
		expect(buildPlatformEnv({ ...withoutMessage, repo: '' })).not.toHaveProperty(
			'SLIPWAY_GIT_COMMIT_MESSAGE'
		);
	});
});

describe('resolveDeploymentEnv', () => {
	it('lets the environment override all environments, and the branch override both', () => {
		const { runtime } = resolveDeploymentEnv({
			allEnvironments: [v('API_URL', 'https://api'), v('LEVEL', 'all'), v('ONLY_ALL', '1')],
			environment: [v('LEVEL', 'env'), v('ONLY_ENV', '2')],
			branch: [v('LEVEL', 'branch')],
			platform
		});
		expect(runtime).toMatchObject({
			API_URL: 'https://api',
			LEVEL: 'branch',
			ONLY_ALL: '1',
			ONLY_ENV: '2'
		});
	});

	it('injects the platform variables and lets user variables win, reporting which', () => {
		const result = resolveDeploymentEnv({
			allEnvironments: [v('PORT', '3000'), v('SLIPWAY', '1'), v('SLIPWAY_URL', 'https://mine')],
			platform
		});
		expect(result.runtime.PORT).toBe('3000');
		expect(result.runtime.SLIPWAY_URL).toBe('https://mine');
		expect(result.runtime.SLIPWAY_DEPLOYMENT_ID).toBe('d-123');
		// SLIPWAY=1 is set to the value it already had: nothing the user needs to hear about
		expect(result.overriddenPlatformKeys).toEqual(['PORT', 'SLIPWAY_URL']);
	});

	it('gives the build only the variables flagged build-time, by the winning scope', () => {
		const { build, runtime } = resolveDeploymentEnv({
			allEnvironments: [v('PUBLIC_API', 'all', true), v('SECRET', 's'), v('FLAG', 'all', true)],
			environment: [v('FLAG', 'env', false), v('SENTRY_DSN', 'dsn', true)],
			platform
		});
		expect(build).toEqual({ PUBLIC_API: 'all', SENTRY_DSN: 'dsn' });
		expect(build).not.toHaveProperty('PORT');
		expect(runtime.SECRET).toBe('s');
	});

	it('works with nothing but the platform variables', () => {
		expect(resolveDeploymentEnv({ allEnvironments: [], platform })).toEqual({
			runtime: platform,
			build: {},
			overriddenPlatformKeys: []
		});
	});
});
