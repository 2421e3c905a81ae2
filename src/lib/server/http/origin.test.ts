import { describe, expect, it } from 'vitest';
import { isCrossSiteFormPost, isCrossSiteMutation } from './origin.ts';

const url = new URL('https://slipway.example.com/api/trpc/teams.create');
const post = (headers: Record<string, string>) =>
	new Request(url, { method: 'POST', headers, body: '{}' });

describe('origin check for tRPC mutations', () => {
	it('refuses a POST from another origin, with or without a cookie', () => {
		expect(isCrossSiteMutation(post({ origin: 'https://evil.example' }), url, true)).toBe(true);
		expect(isCrossSiteMutation(post({ origin: 'https://evil.example' }), url, false)).toBe(true);
	});

	it('refuses a cookie-authenticated POST without an Origin header', () => {
		expect(isCrossSiteMutation(post({}), url, true)).toBe(true);
	});

	it('accepts same-origin posts, token calls from scripts and plain reads', () => {
		expect(isCrossSiteMutation(post({ origin: url.origin }), url, true)).toBe(false);
		expect(isCrossSiteMutation(post({}), url, false)).toBe(false);
		expect(isCrossSiteMutation(new Request(url), url, true)).toBe(false);
	});
});

describe('origin check for form posts', () => {
	const form = (path: string, origin?: string) =>
		new Request(new URL(path, url), {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				...(origin ? { origin } : {})
			},
			body: 'a=1'
		});

	it('refuses cross-site form posts to pages, like SvelteKit does', () => {
		expect(
			isCrossSiteFormPost(form('/login', 'https://evil.example'), new URL('/login', url))
		).toBe(true);
		expect(isCrossSiteFormPost(form('/login'), new URL('/login', url))).toBe(true);
		expect(isCrossSiteFormPost(form('/login', url.origin), new URL('/login', url))).toBe(false);
	});

	it('lets CI post to a deploy hook from anywhere', () => {
		const hook = new URL('/api/hooks/deploy/slh_x', url);
		expect(isCrossSiteFormPost(form(hook.pathname), hook)).toBe(false);
	});
});
