import { describe, expect, it } from 'vitest';
import { BUILD_ENV_CONTEXT_PATH } from './build-env.ts';
import { CERT, node, script, stages } from './build-files.fixtures.ts';
import { generateBuildFiles } from './generate-build-files.ts';

/** What the generated Dockerfile does with instance CA certificates and build-time variables. */
describe('extra CA certificates', () => {
	const input = { ...node, extraCaPem: CERT('AAAA') + 'junk\n' + CERT('BBBB') };

	it('writes one context file per certificate', () => {
		const { extraFiles } = generateBuildFiles(input);
		expect(extraFiles['.slipway/extra-ca/extra-ca-1.crt']).toBe(CERT('AAAA'));
		expect(extraFiles['.slipway/extra-ca/extra-ca-2.crt']).toBe(CERT('BBBB'));
	});

	it('trusts them before the first install step, in every tool, in both stages', () => {
		const { build, final } = stages(generateBuildFiles(input).dockerfile);
		const copyCa = build.indexOf(
			'COPY .slipway/extra-ca/ /usr/local/share/ca-certificates/slipway/'
		);
		const update = build.findIndex((l) => l.includes('>> /etc/ssl/certs/ca-certificates.crt'));
		const firstInstall = build.findIndex((l) => l.startsWith('RUN ['));
		expect(build[1]).toBe('USER root');
		expect(copyCa).toBe(2);
		expect(update).toBe(3);
		expect(firstInstall).toBeGreaterThan(update);
		expect(build.indexOf('USER app')).toBeLessThan(firstInstall);
		for (const name of [
			'NODE_EXTRA_CA_CERTS',
			'SSL_CERT_FILE',
			'REQUESTS_CA_BUNDLE',
			'PIP_CERT',
			'GIT_SSL_CAINFO'
		]) {
			const env = `${name}=/etc/ssl/certs/ca-certificates.crt`;
			expect(build.find((l) => l.startsWith('ENV '))).toContain(env);
			expect(final.find((l) => l.startsWith('ENV ') && l.includes(name))).toContain(env);
		}
		expect(final).toContain(
			'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt'
		);
	});

	it('refuses text without a certificate', () => {
		expect(() => generateBuildFiles({ ...node, extraCaPem: 'not a certificate' })).toThrow(
			/no PEM certificate/
		);
	});
});

describe('build-time env vars', () => {
	const secret = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
	const input = { ...node, buildEnv: { STRIPE_KEY: secret, NPM_TOKEN: 'npm_abc' } };

	it('go into a context file that the install and build steps source', () => {
		const { dockerfile, extraFiles } = generateBuildFiles(input);
		expect(extraFiles[BUILD_ENV_CONTEXT_PATH]).toBe(
			`NPM_TOKEN='npm_abc'\nSTRIPE_KEY='${secret}'\n`
		);
		const { build } = stages(dockerfile);
		const runs = build.filter((l) => l.startsWith('RUN ['));
		const sourced = runs.filter((l) => script(l).includes('set -a; . /slipway/build-env; set +a'));
		expect(sourced.map((l) => script(l).split('\n').at(-1))).toEqual(['npm ci', 'npm run build']);
		expect(build).toContain('COPY --chown=10001:10001 .slipway/build-env /slipway/build-env');
	});

	it('never appear in the Dockerfile, and the final stage never touches them', () => {
		const { dockerfile } = generateBuildFiles(input);
		expect(dockerfile).not.toContain(secret);
		expect(dockerfile).not.toContain('npm_abc');
		expect(dockerfile).not.toMatch(/^(ARG|ENV) .*(STRIPE_KEY|NPM_TOKEN)/m);
		const { final } = stages(dockerfile);
		expect(final.join('\n')).not.toContain('build-env');
		expect(final.filter((l) => l.startsWith('COPY --from=build'))).toEqual([
			'COPY --from=build --chown=10001:10001 /app /app'
		]);
	});

	it('that change every deployment are seen by the build step only, after the install layer', () => {
		const { dockerfile, extraFiles } = generateBuildFiles({
			...input,
			deploymentEnv: { SLIPWAY_GIT_COMMIT_SHA: 'abc123' }
		});
		expect(extraFiles['.slipway/deployment-env']).toBe("SLIPWAY_GIT_COMMIT_SHA='abc123'\n");
		const { build } = stages(dockerfile);
		const install = build.findIndex((l) => l.startsWith('RUN [') && script(l).endsWith('npm ci'));
		const copy = build.indexOf(
			'COPY --chown=10001:10001 .slipway/deployment-env /slipway/deployment-env'
		);
		expect(copy).toBeGreaterThan(install);
		expect(script(build[install])).not.toContain('deployment-env');
		expect(script(build.at(-1)!)).toContain(
			'set -a; . /slipway/build-env; . /slipway/deployment-env; set +a'
		);
	});

	it('leave no trace when there are none', () => {
		const { dockerfile, extraFiles } = generateBuildFiles({ ...node, buildEnv: {} });
		expect(dockerfile).not.toContain('build-env');
		expect(extraFiles[BUILD_ENV_CONTEXT_PATH]).toBeUndefined();
	});
});
