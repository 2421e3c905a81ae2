import { describe, expect, it } from 'vitest';
import { ImageBuildError } from '../../docker/build.ts';
import { explainBuildFailure } from './explain-build.ts';

describe('build failure reasons', () => {
	it('keeps the lines that explain the failure and drops Docker bookkeeping', () => {
		const error = new ImageBuildError(
			"The command '/bin/sh -c npm run build' returned a non-zero code: 1",
			[
				'Step 9/18 : RUN npm run build',
				' ---> Running in 0fdf935256cf',
				'/app/scripts/build:3',
				"console.log('building...';",
				'SyntaxError: missing ) after argument list',
				'    at wrapSafe (node:internal/modules/cjs/loader:1)',
				'\u001b[0m',
				'Node.js v24.21.0',
				'Removing intermediate container 0fdf935256cf',
				"The command '/bin/sh -c npm run build' returned a non-zero code: 1"
			]
		);
		const reason = explainBuildFailure(error);
		expect(reason).toMatch(/^The build failed: a build step exited with code 1\./);
		expect(reason).toContain('SyntaxError: missing ) after argument list');
		expect(reason).not.toMatch(/Removing intermediate|wrapSafe|---> /);
	});
});
