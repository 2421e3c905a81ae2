import { describe, expect, it } from 'vitest';
import { deployLabel, labelBelongsTo } from './match-host.ts';

describe('deployLabel', () => {
	it('is the one label under the deploy domain', () => {
		expect(deployLabel('shop-pr-4.apps.example.com', 'apps.example.com')).toBe('shop-pr-4');
		expect(deployLabel('Shop.Localhost.', 'localhost')).toBe('shop');
	});

	it('is null for other domains, nested names and the domain itself', () => {
		expect(deployLabel('shop.example.org', 'apps.example.com')).toBeNull();
		expect(deployLabel('a.b.localhost', 'localhost')).toBeNull();
		expect(deployLabel('localhost', 'localhost')).toBeNull();
		expect(deployLabel('notlocalhost', 'localhost')).toBeNull();
	});
});

describe('labelBelongsTo', () => {
	it('matches production, environments, branches, pull requests and immutable ids', () => {
		for (const label of [
			'shop',
			'shop-env-staging',
			'shop-branch-feat-x',
			'shop-pr-12',
			'shop-id-abc1234'
		]) {
			expect(labelBelongsTo(label, 'shop'), label).toBe(true);
		}
	});

	it('does not match a project whose slug merely starts the same way', () => {
		expect(labelBelongsTo('shop-api', 'shop')).toBe(false);
		expect(labelBelongsTo('shop-api-branch-main', 'shop')).toBe(false);
		expect(labelBelongsTo('shop-api-branch-main', 'shop-api')).toBe(true);
		expect(labelBelongsTo('shopping', 'shop')).toBe(false);
		expect(labelBelongsTo('shop-pr-', 'shop')).toBe(false);
	});
});
