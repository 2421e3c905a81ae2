import { describe, expect, it } from 'vitest';
import { parseFilter } from './filter';

describe('parseFilter', () => {
	it('reads a known state and a branch', () => {
		expect(parseFilter(new URLSearchParams('state=failed&branch=%20main%20'))).toEqual({
			state: 'failed',
			branch: 'main'
		});
	});

	it('ignores an unknown state and an empty branch (no filter, not an error page)', () => {
		expect(parseFilter(new URLSearchParams('state=exploded&branch='))).toEqual({
			state: undefined,
			branch: undefined
		});
	});
});
