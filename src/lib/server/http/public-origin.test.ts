import { describe, expect, it } from 'vitest';
import { isReachableFromOutside } from './public-origin.ts';

describe('isReachableFromOutside', () => {
	it('refuses local names and private addresses', () => {
		for (const host of [
			'localhost',
			'app.localhost',
			'127.0.0.1',
			'10.1.2.3',
			'172.20.0.1',
			'192.168.1.5',
			'169.254.1.1',
			'[::1]',
			'fd00::1'
		]) {
			expect(isReachableFromOutside(host), host).toBe(false);
		}
	});
	it('takes public addresses and names as reachable', () => {
		for (const host of ['slipway.example.com', '203.0.113.7', '172.32.0.1', '2001:db8::1']) {
			expect(isReachableFromOutside(host), host).toBe(true);
		}
	});
});
