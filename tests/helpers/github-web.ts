import { CookieBrowser } from './cookie-browser.ts';
import { createTestDatabase } from './db.ts';
import { startFakeGithub } from './fake-github/server.ts';
import { startWeb } from './server.ts';

/**
 * A fresh database, a fake GitHub and the built web server on that database (needs a current
 * build: `SLIPWAY_BUILD_DIR=build-x npx vite build`); stop() takes them down.
 */
export async function startGithubWeb(label: string) {
	const t = await createTestDatabase(label);
	const fake = await startFakeGithub();
	const web = await startWeb(t.url);
	return {
		t,
		fake,
		web,
		/** A browser signed in to the web server with this session token. */
		signedIn(token: string) {
			const b = new CookieBrowser();
			b.setCookie(web.url, 'slipway_session', token);
			return b;
		},
		async stop() {
			await web.stop();
			await fake.close();
			await t.drop();
		}
	};
}
