import { describe, expect, it } from 'vitest';
import { availableSlug, slugify } from './slug.ts';

describe('team slugs', () => {
	it('turns names into URL-safe slugs', () => {
		expect(slugify('Ada Lovelace')).toBe('ada-lovelace');
		expect(slugify('  Zoë & Co. ')).toBe('zoe-co');
		expect(slugify('日本')).toBe('team');
		expect(slugify('a'.repeat(80))).toHaveLength(40);
	});

	it('never hands out a reserved or taken slug', () => {
		expect(availableSlug('login', () => false)).toBe('login-2');
		const taken = new Set(['ada', 'ada-2']);
		expect(availableSlug('ada', (s) => taken.has(s))).toBe('ada-3');
	});
});
