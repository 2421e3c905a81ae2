import { describe, expect, it } from 'vitest';
import { redirectTarget } from './redirect-target';

describe('redirectTarget', () => {
	it('keeps a path on this site, with its query', () => {
		expect(redirectTarget('/acme?tab=logs')).toBe('/acme?tab=logs');
	});

	it.each([null, '', 'https://evil.test/', '//evil.test', '/\\evil.test', 'acme'])(
		'sends %s to the root instead of off-site',
		(value) => {
			expect(redirectTarget(value)).toBe('/');
		}
	);
});
