import { describe, expect, it } from 'vitest';
import { isValidPool, parseCidr, pickSubnet } from './subnets.ts';

describe('project subnets', () => {
	it('hands out the first free /24 of the pool', () => {
		expect(pickSubnet('10.213.0.0/16', [])).toBe('10.213.0.0/24');
		expect(pickSubnet('10.213.0.0/16', ['10.213.0.0/24', '10.213.1.0/24'])).toBe('10.213.2.0/24');
	});

	it('skips what other networks on the engine use, whatever their size', () => {
		expect(pickSubnet('10.213.0.0/16', ['10.213.0.0/23', '172.17.0.0/16'])).toBe('10.213.2.0/24');
		expect(pickSubnet('10.213.0.0/16', ['10.213.5.128/25', '10.213.0.0/22'])).toBe('10.213.4.0/24');
		expect(pickSubnet('10.213.0.0/16', ['10.0.0.0/8'])).toBeNull();
	});

	it('serves far more projects than Docker’s default pools (~30 networks)', () => {
		const taken: string[] = [];
		for (let i = 0; i < 256; i++) {
			const next = pickSubnet('10.213.0.0/16', taken);
			expect(next).not.toBeNull();
			taken.push(next!);
		}
		expect(new Set(taken).size).toBe(256);
		expect(pickSubnet('10.213.0.0/16', taken)).toBeNull();
	});

	it('accepts only IPv4 ranges that hold at least one project', () => {
		expect(isValidPool('10.213.0.0/16')).toBe(true);
		expect(isValidPool('192.168.50.0/24')).toBe(true);
		expect(isValidPool('10.213.0.0/25')).toBe(false);
		expect(isValidPool('10.213.0/16')).toBe(false);
		expect(isValidPool('fd00::/64')).toBe(false);
		expect(parseCidr('10.213.7.9/16')).toEqual(parseCidr('10.213.0.0/16'));
	});
});
