import { eq } from 'drizzle-orm';
import { decryptSecret, encryptSecret, type Keyring } from '../crypto/secret-box.ts';
import type { Db } from '../db/client.ts';
import { githubApp } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';

/** The instance's GitHub App with its secrets opened (server-side only, never sent to a browser). */
export type GithubAppCredentials = {
	webUrl: string;
	apiUrl: string;
	appId: number;
	slug: string;
	name: string;
	htmlUrl: string;
	ownerLogin: string | null;
	clientId: string;
	clientSecret: string;
	privateKey: string;
	webhookSecret: string;
};

/** Each sealed column is bound to its purpose: a value copied into another column will not open. */
const aad = (column: string) => `github-app:${column}`;

/** `https://github.com` → `https://api.github.com`; a GitHub Enterprise Server → `<url>/api/v3`. */
export function apiUrlFor(webUrl: string): string {
	const url = new URL(webUrl);
	if (url.hostname === 'github.com') return 'https://api.github.com';
	return `${url.origin}/api/v3`;
}

/** `https://github.com/` (any path) → `https://github.com`; refuses what is not http(s). */
export function normalizeWebUrl(input: string): string {
	let url: URL;
	try {
		url = new URL(input.trim());
	} catch {
		throw new AppError('INVALID', 'Enter the GitHub address, e.g. https://github.com.', {
			field: 'webUrl'
		});
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new AppError('INVALID', 'The GitHub address must start with https://.', {
			field: 'webUrl'
		});
	}
	return url.origin;
}

export async function loadGithubApp(
	db: Db,
	keyring: Keyring
): Promise<GithubAppCredentials | null> {
	const [row] = await db.select().from(githubApp).where(eq(githubApp.id, 1));
	if (!row) return null;
	const open = (sealed: string, column: string) =>
		decryptSecret({ keyring, sealed, aad: aad(column) });
	return {
		webUrl: row.webUrl,
		apiUrl: row.apiUrl,
		appId: row.appId,
		slug: row.slug,
		name: row.name,
		htmlUrl: row.htmlUrl,
		ownerLogin: row.ownerLogin,
		clientId: row.clientId,
		clientSecret: open(row.clientSecretSealed, 'client_secret'),
		privateKey: open(row.privateKeySealed, 'private_key'),
		webhookSecret: open(row.webhookSecretSealed, 'webhook_secret')
	};
}

/** Like loadGithubApp, for paths that cannot work without it: the error says what to do. */
export async function requireGithubApp(db: Db, keyring: Keyring): Promise<GithubAppCredentials> {
	const app = await loadGithubApp(db, keyring);
	if (!app) {
		throw new AppError(
			'UNAVAILABLE',
			'GitHub is not connected to this instance yet: an instance admin creates the GitHub App under Admin → GitHub.'
		);
	}
	return app;
}

/** Stores (or replaces) the instance's App, sealing every secret. */
export async function saveGithubApp(
	db: Db,
	keyring: Keyring,
	app: GithubAppCredentials & { createdBy?: string | null }
) {
	const seal = (plaintext: string, column: string) =>
		encryptSecret({ keyring, plaintext, aad: aad(column) });
	const values = {
		id: 1,
		webUrl: app.webUrl,
		apiUrl: app.apiUrl,
		appId: app.appId,
		slug: app.slug,
		name: app.name,
		htmlUrl: app.htmlUrl,
		ownerLogin: app.ownerLogin,
		clientId: app.clientId,
		clientSecretSealed: seal(app.clientSecret, 'client_secret'),
		privateKeySealed: seal(app.privateKey, 'private_key'),
		webhookSecretSealed: seal(app.webhookSecret, 'webhook_secret'),
		createdBy: app.createdBy ?? null,
		createdAt: new Date()
	};
	await db
		.insert(githubApp)
		.values(values)
		.onConflictDoUpdate({ target: githubApp.id, set: values });
}

/** What pages may show about the App: no secret, nothing sealed is opened. */
export async function githubAppSummary(db: Db) {
	const [row] = await db
		.select({
			webUrl: githubApp.webUrl,
			appId: githubApp.appId,
			slug: githubApp.slug,
			name: githubApp.name,
			htmlUrl: githubApp.htmlUrl,
			ownerLogin: githubApp.ownerLogin,
			createdAt: githubApp.createdAt
		})
		.from(githubApp)
		.where(eq(githubApp.id, 1));
	return row ?? null;
}

/**
 * Forgets the App so an admin can create a new one. The App itself stays on GitHub (only its
 * owner can delete it there); linked GitHub logins are kept, they belong to the users.
 */
export async function removeGithubApp(db: Db): Promise<boolean> {
	const deleted = await db
		.delete(githubApp)
		.where(eq(githubApp.id, 1))
		.returning({ id: githubApp.id });
	return deleted.length > 0;
}
