// Bundles the worker (src/worker/main.ts) into one file, dist/worker.js, for production.
// Loading drizzle-orm and friends from node_modules costs ~0.4 s and ~130 MB under Node 24;
// one bundled file starts fast and lean. Run with `node scripts/build-worker.ts` (part of `npm run build`).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();

const result = await build({
	absWorkingDir: root,
	entryPoints: ['src/worker/main.ts'],
	outfile: 'dist/worker.js',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node24',
	sourcemap: 'linked',
	legalComments: 'none',
	metafile: true,
	logLevel: 'warning',
	// CommonJS dependencies (pg, ioredis, pino, ...) call `require` for Node built-ins; an ES module
	// has none, so give the bundle one.
	banner: {
		js: "import { createRequire as __slipwayCreateRequire } from 'node:module';\nconst require = __slipwayCreateRequire(import.meta.url);"
	},
	// pg tries `require('pg-native')` and falls back to JavaScript when it is absent. cosmiconfig
	// (through graphile-config) loads `typescript` only for a graphile.config.ts, which we do not
	// have: bundling it would add 9 MB to parse at every start.
	// dockerode reaches ssh2 (remote engines over SSH), which loads native addons; they stay in
	// node_modules, where the production install puts them.
	external: ['pg-native', 'typescript', 'ssh2', 'cpu-features']
});

const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
const js = result.metafile.outputs['dist/worker.js']?.bytes ?? bytes;
console.log(
	`dist/worker.js: ${(js / 1024).toFixed(0)} KiB, ${Object.keys(result.metafile.inputs).length} modules, ` +
		`${Math.round(performance.now() - started)} ms`
);
