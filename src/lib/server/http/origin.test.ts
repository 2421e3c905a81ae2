import { describe, expect, it } from 'vitest';
import { isCrossSiteMutation } from './origin.ts';

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
