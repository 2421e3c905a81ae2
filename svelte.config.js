import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// Development: several builds side by side (parallel test runs) with SLIPWAY_BUILD_DIR=build-x.
const buildDir = process.env.SLIPWAY_BUILD_DIR ?? 'build';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: buildDir }),
		outDir: buildDir === 'build' ? '.svelte-kit' : `.svelte-kit-${buildDir}`,
		// Checked in hooks.server.ts instead, which exempts deploy hooks (isCrossSiteFormPost).
		csrf: { trustedOrigins: ['*'] },
		// Absolute asset paths: the "deployment not found" page is served at whatever path an
		// unknown host was asked for, where relative `../_app/…` links would point nowhere.
		paths: { relative: false },
		typescript: {
			config: (tsconfig) => {
				tsconfig.include.push(
					'../scripts/**/*.ts',
					'../tests/**/*.ts',
					'../bench/**/*.ts',
					'../*.config.ts'
				);
				// Sample apps the tests deploy are plain JavaScript for Node, not part of Slipway.
				tsconfig.exclude = [...(tsconfig.exclude ?? []), '../tests/fixtures/**'];
				return tsconfig;
			}
		}
	}
};

export default config;
