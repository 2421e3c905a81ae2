import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as base } from '@playwright/test';

export { expect, type Page } from '@playwright/test';

/**
 * Chromium runs on the machine whose Docker engine the suite deploys to. Every new project
 * network gives the host a bridge address, and Chromium answers an address change by failing
 * the requests in flight with net::ERR_NETWORK_CHANGED (crbug.com/41465264): a page load of
 * the test's own app then shows "Something went wrong". No browser flag turns that off.
 *
 * So a test gets one retry (playwright.config.ts), and only for that cause: the first attempt
 * records whether one of its requests failed with ERR_NETWORK_CHANGED; a retry of a test that
 * failed for any other reason fails at once, naming the rule. Retried tests are listed as
 * "flaky" in the report.
 */
function markerOf(outputDir: string, titlePath: string[]) {
	const id = createHash('sha256').update(titlePath.join('\u0000')).digest('hex').slice(0, 16);
	return join(outputDir, '.network-changed', id);
}

export const test = base.extend<{ networkChangeGuard: void }>({
	networkChangeGuard: [
		async ({ context }, use, testInfo) => {
			const marker = markerOf(testInfo.project.outputDir, testInfo.titlePath);
			if (testInfo.retry > 0) {
				if (!existsSync(marker)) {
					throw new Error(
						'Not retried: the first attempt did not lose a request to net::ERR_NETWORK_CHANGED (see tests/e2e/test.ts); its failure is the real one.'
					);
				}
				rmSync(marker);
			}
			let changed = false;
			const watch = (request: { failure(): { errorText: string } | null }) => {
				if (request.failure()?.errorText.includes('ERR_NETWORK_CHANGED')) changed = true;
			};
			context.on('requestfailed', watch);
			await use();
			if (testInfo.status !== testInfo.expectedStatus && changed) {
				mkdirSync(join(marker, '..'), { recursive: true });
				writeFileSync(marker, testInfo.titlePath.join(' › '));
			}
		},
		{ auto: true }
	]
});
