import type { Db } from '../../../src/lib/server/db/client.ts';
import { saveGithubApp, type GithubAppCredentials } from '../../../src/lib/server/github/app.ts';
import { testKeyring } from '../world.ts';
import type { FakeGithub } from './server.ts';

/**
 * Stores the fake GitHub's App as this instance's App, as the manifest flow would (owner
 * `octocat`, like the fake's manifest conversion). `overrides` change single fields, e.g. an
 * `apiUrl` nothing answers on.
 */
export function seedGithubApp(
	db: Db,
	fake: FakeGithub,
	overrides: Partial<GithubAppCredentials> = {}
) {
	const app = fake.state.app;
	return saveGithubApp(db, testKeyring, {
		webUrl: fake.url,
		apiUrl: fake.apiUrl,
		appId: app.id,
		slug: app.slug,
		name: app.name,
		htmlUrl: `${fake.url}/apps/${app.slug}`,
		ownerLogin: 'octocat',
		clientId: app.clientId,
		clientSecret: app.clientSecret,
		privateKey: app.privateKey,
		webhookSecret: app.webhookSecret,
		...overrides
	});
}
