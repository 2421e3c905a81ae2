// The web server for the Playwright suite: the built app (`node build`) on a fixed port against a
// database of its own, created fresh from the migrated template and dropped again on exit.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, prepareTemplate } from '../helpers/db.ts';
import { testEnv } from '../helpers/server.ts';

const PORT = Number(process.env.E2E_PORT ?? 4173);
const root = fileURLToPath(new URL('../..', import.meta.url));

if (!existsSync(`${root}/build/index.js`)) {
	console.error('build/ is missing: run `npm run build` before `npx playwright test`.');
	process.exit(1);
}

await prepareTemplate();
const database = await createTestDatabase('e2e');

const child = spawn(process.execPath, ['build'], {
	cwd: root,
	stdio: 'inherit',
	env: testEnv(database.url, {
		PORT: String(PORT),
		HOST: '127.0.0.1',
		ORIGIN: `http://localhost:${PORT}`,
		// Every test signs up from 127.0.0.1; the login limit stays low enough to test its message.
		RATE_LIMIT_SIGNUP_PER_HOUR: '1000',
		RATE_LIMIT_LOGIN_PER_15_MIN: '10'
	})
});

let stopping = false;

async function stop(exitCode: number) {
	if (stopping) return;
	stopping = true;
	if (child.exitCode === null && child.signalCode === null) {
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(timer);
	}
	try {
		await database.drop();
	} catch (error) {
		console.error(`could not drop ${database.name}:`, error);
	}
	process.exit(exitCode);
}

process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
child.on('exit', (code, signal) => {
	if (!stopping) {
		console.error(`node build exited (${signal ?? code}) before the tests finished`);
		void stop(code ?? 1);
	}
});
