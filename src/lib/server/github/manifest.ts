import type { Keyring } from '../crypto/secret-box.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { apiUrlFor, normalizeWebUrl, saveGithubApp, type GithubAppCredentials } from './app.ts';
import { anonymousClient } from './client.ts';

/**
 * GitHub's "Registering a GitHub App from a manifest" flow: the admin's browser posts this
 * manifest to GitHub, GitHub creates the App and redirects back with a one-hour code, and the
 * code is exchanged for the App's id, private key and secrets.
 */
export type GithubAppManifest = {
	name: string;
	url: string;
	hook_attributes: { url: string; active: boolean };
	redirect_url: string;
	callback_urls: string[];
	setup_url: string;
	setup_on_update: boolean;
	request_oauth_on_install: boolean;
	public: boolean;
	default_permissions: Record<string, 'read' | 'write'>;
	default_events: string[];
};

/** GitHub limits App names to 34 characters. */
export const MAX_APP_NAME = 34;

export function defaultAppName(origin: string): string {
	return `Slipway ${new URL(origin).hostname}`.slice(0, MAX_APP_NAME);
}

/**
 * The App Slipway needs. `installation` and `installation_repositories` are not listed: GitHub
 * delivers them to every App and rejects them in `default_events` ("Default events unsupported").
 */
export function buildManifest(args: { origin: string; name: string }): GithubAppManifest {
	const origin = args.origin.replace(/\/+$/, '');
	return {
		name: args.name,
		url: origin,
		hook_attributes: { url: `${origin}/api/webhooks/github`, active: true },
		redirect_url: `${origin}/admin/github/callback`,
		callback_urls: [`${origin}/login/github/callback`],
		setup_url: `${origin}/api/github/setup`,
		setup_on_update: true,
		request_oauth_on_install: true,
		public: false,
		default_permissions: {
			contents: 'read',
			metadata: 'read',
			statuses: 'write',
			deployments: 'write',
			pull_requests: 'write',
			checks: 'write',
			// Sign in with GitHub links accounts by the verified primary email (GET /user/emails).
			email_addresses: 'read'
		},
		default_events: ['push', 'pull_request', 'repository']
	};
}

const ORG_LOGIN = /^[a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38}$/i;

/** Where the browser posts the manifest: the admin's own account, or an organization's. */
export function manifestPostUrl(args: {
	webUrl: string;
	organization?: string | null;
	state: string;
}): string {
	const web = normalizeWebUrl(args.webUrl);
	const org = args.organization?.trim();
	if (org && !ORG_LOGIN.test(org)) {
		throw new AppError('INVALID', 'That is not a GitHub organization login (letters, digits, -).', {
			field: 'organization'
		});
	}
	const path = org
		? `/organizations/${encodeURIComponent(org)}/settings/apps/new`
		: '/settings/apps/new';
	return `${web}${path}?state=${encodeURIComponent(args.state)}`;
}

/** Exchanges the code GitHub sent back for the new App's credentials (valid for one hour, once). */
export async function convertManifestCode(args: {
	webUrl: string;
	code: string;
}): Promise<GithubAppCredentials> {
	const webUrl = normalizeWebUrl(args.webUrl);
	const apiUrl = apiUrlFor(webUrl);
	let data;
	try {
		const result = await anonymousClient(apiUrl).request('POST /app-manifests/{code}/conversions', {
			code: args.code
		});
		data = result.data;
	} catch (error) {
		const status = (error as { status?: number }).status;
		if (status === 404 || status === 422) {
			throw new AppError(
				'INVALID',
				'GitHub did not accept the code it sent back: it expires after an hour and works once. Nothing was saved; create the App again.',
				{ cause: error }
			);
		}
		throw new AppError(
			'UNAVAILABLE',
			`GitHub (${apiUrl}) could not be reached to finish creating the App${status ? ` (HTTP ${status})` : ''}. Nothing was saved; try again.`,
			{ cause: error }
		);
	}
	const owner = data.owner as { login?: string } | null | undefined;
	return {
		webUrl,
		apiUrl,
		appId: data.id,
		slug: data.slug ?? String(data.id),
		name: data.name,
		htmlUrl: data.html_url,
		ownerLogin: owner?.login ?? null,
		clientId: data.client_id,
		clientSecret: data.client_secret,
		privateKey: data.pem,
		webhookSecret: data.webhook_secret ?? ''
	};
}

/** The end of the manifest flow: the App GitHub created, stored with every secret sealed. */
export async function registerGithubApp(args: {
	db: Db;
	keyring: Keyring;
	webUrl: string;
	code: string;
	createdBy: string;
}) {
	const app = await convertManifestCode({ webUrl: args.webUrl, code: args.code });
	await saveGithubApp(args.db, args.keyring, { ...app, createdBy: args.createdBy });
	return { name: app.name, slug: app.slug };
}
