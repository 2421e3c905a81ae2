import { defineConfig, devices } from '@playwright/test';

// 4173 unless E2E_PORT says otherwise (two suites on one machine must not share a server).
const PORT = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
	testDir: 'tests/e2e',
	// Not the default `test-results/`: Playwright empties its output folder on start, and
	// scripts/test.sh keeps the vitest report there. Screenshots go to test-results/screenshots/.
	// Per port: two suites on one machine must not empty each other's artifacts.
	outputDir: process.env.E2E_PORT ? `test-results/e2e-${process.env.E2E_PORT}` : 'test-results/e2e',
	fullyParallel: true,
	forbidOnly: !!process.env.CI,
	// One retry, only for a request lost to net::ERR_NETWORK_CHANGED (see tests/e2e/test.ts).
	retries: 1,
	// Generous: argon2 on a busy 2-core CI machine makes each log-in take a second or more.
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: 'list',
	use: {
		baseURL: `http://localhost:${PORT}`,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: {
					executablePath: '/usr/bin/chromium',
					args: [
						'--headless',
						'--no-sandbox',
						'--disable-gpu',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync',
						'--disable-quic',
						'--no-first-run'
					]
				}
			}
		}
	],
	webServer: {
		// The built app (`npm run build` first) against a fresh database; see tests/e2e/serve.ts.
		command: `"${process.execPath}" tests/e2e/serve.ts`,
		url: `http://127.0.0.1:${PORT}/healthz`,
		env: { E2E_PORT: String(PORT) },
		reuseExistingServer: false,
		timeout: 60_000,
		stdout: 'pipe',
		stderr: 'pipe',
		gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 }
	}
});
