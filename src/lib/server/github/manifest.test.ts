import { describe, expect, it } from 'vitest';
import { buildManifest, defaultAppName, manifestPostUrl } from './manifest.ts';

describe('buildManifest', () => {
	const manifest = buildManifest({ origin: 'https://slipway.example.com/', name: 'Slipway prod' });

	it('points every GitHub callback at this instance', () => {
		expect(manifest).toMatchObject({
			name: 'Slipway prod',
			url: 'https://slipway.example.com',
			hook_attributes: { url: 'https://slipway.example.com/api/webhooks/github', active: true },
			redirect_url: 'https://slipway.example.com/admin/github/callback',
			callback_urls: ['https://slipway.example.com/login/github/callback'],
			setup_url: 'https://slipway.example.com/api/github/setup',
			setup_on_update: true,
			request_oauth_on_install: true,
			public: false
		});
	});

	it('asks for what deploys, reports and logins need, and nothing to administer repos', () => {
		expect(manifest.default_permissions).toEqual({
			contents: 'read',
			metadata: 'read',
			statuses: 'write',
			deployments: 'write',
			pull_requests: 'write',
			checks: 'write',
			email_addresses: 'read'
		});
	});

	it('leaves out the installation events GitHub rejects in a manifest (it sends them anyway)', () => {
		expect(manifest.default_events).toEqual(['push', 'pull_request', 'repository']);
		expect(manifest.default_events).not.toContain('installation');
		expect(manifest.default_events).not.toContain('installation_repositories');
	});
});

describe('manifestPostUrl', () => {
	it('posts to the personal settings page, or an organization', () => {
		expect(manifestPostUrl({ webUrl: 'https://github.com/', state: 'a b' })).toBe(
			'https://github.com/settings/apps/new?state=a%20b'
		);
		expect(
			manifestPostUrl({ webUrl: 'https://ghe.corp.test', organization: 'acme-inc', state: 's' })
		).toBe('https://ghe.corp.test/organizations/acme-inc/settings/apps/new?state=s');
	});

	it('refuses an organization that is not a GitHub login, and a non-http address', () => {
		expect(() =>
			manifestPostUrl({ webUrl: 'https://github.com', organization: '../x', state: 's' })
		).toThrow(/organization login/);
		expect(() => manifestPostUrl({ webUrl: 'ftp://github.com', state: 's' })).toThrow(/https/);
	});
});

describe('defaultAppName', () => {
	it('names the App after the host, within GitHub’s 34 characters', () => {
		expect(defaultAppName('https://slipway.example.com')).toBe('Slipway slipway.example.com');
		expect(defaultAppName(`https://${'a'.repeat(60)}.test`)).toHaveLength(34);
	});
});
