import { describe, expect, it } from 'vitest';
import {
	aliasHostname,
	aliasKey,
	aliasLabel,
	deploymentHostname,
	disambiguateLabel,
	MAX_LABEL,
	toLabel
} from './hostnames.ts';

const domain = 'apps.example.com';

describe('hostnames', () => {
	it('follows product.md §5 for every alias kind', () => {
		expect(aliasHostname({ projectSlug: 'blog', target: { kind: 'production' }, domain })).toBe(
			'blog.apps.example.com'
		);
		expect(
			aliasHostname({
				projectSlug: 'blog',
				target: { kind: 'environment', environmentSlug: 'staging' },
				domain
			})
		).toBe('blog-env-staging.apps.example.com');
		expect(
			aliasHostname({
				projectSlug: 'blog',
				target: { kind: 'branch', branch: 'Feature/Login_Page' },
				domain
			})
		).toBe('blog-branch-feature-login-page.apps.example.com');
		expect(
			aliasHostname({ projectSlug: 'blog', target: { kind: 'pull_request', number: 42 }, domain })
		).toBe('blog-pr-42.apps.example.com');
		expect(
			deploymentHostname({
				projectSlug: 'blog',
				deploymentId: '3f2a9c1e-0000-4000-8000-000000000000',
				domain
			})
		).toBe('blog-id-3f2a9c1.apps.example.com');
	});

	it('keeps labels within 63 characters and long branches apart', () => {
		const long = 'feature/' + 'x'.repeat(80);
		const a = aliasHostname({
			projectSlug: 'blog',
			target: { kind: 'branch', branch: long + 'a' },
			domain
		});
		const b = aliasHostname({
			projectSlug: 'blog',
			target: { kind: 'branch', branch: long + 'b' },
			domain
		});
		expect(a.split('.')[0].length).toBeLessThanOrEqual(MAX_LABEL);
		expect(a).not.toBe(b);
		expect(a).toMatch(/^blog-branch-feature-x+-[0-9a-f]{6}\./);
	});

	it('tells apart branches that sanitize to the same text only when truncated', () => {
		expect(toLabel(['a', 'b'])).toBe('a-b');
		expect(toLabel(['ÄÖ', 'branch'])).toBe('branch');
	});

	it('disambiguates a taken label with a stable hash, within 63 characters', () => {
		const a = disambiguateLabel('shop-branch-feature-a', 'p1\u0000branch\u0000feature-a');
		expect(a).toMatch(/^shop-branch-feature-a-[0-9a-f]{6}$/);
		expect(disambiguateLabel('shop-branch-feature-a', 'p1\u0000branch\u0000feature-a')).toBe(a);
		expect(disambiguateLabel('shop-branch-feature-a', 'p1\u0000branch\u0000feature/a')).not.toBe(a);
		expect(disambiguateLabel('x'.repeat(63), 'k').length).toBeLessThanOrEqual(MAX_LABEL);
	});

	it('keys aliases by kind and the value that identifies them', () => {
		expect(aliasKey({ kind: 'production' })).toEqual({ kind: 'production', key: '' });
		expect(aliasKey({ kind: 'environment', environmentSlug: 'staging' })).toEqual({
			kind: 'environment',
			key: 'staging'
		});
		expect(aliasKey({ kind: 'branch', branch: 'feature/a' })).toEqual({
			kind: 'branch',
			key: 'feature/a'
		});
		expect(aliasKey({ kind: 'pull_request', number: 7 })).toEqual({
			kind: 'pull_request',
			key: '7'
		});
		expect(aliasLabel({ projectSlug: 'shop', target: { kind: 'pull_request', number: 7 } })).toBe(
			'shop-pr-7'
		);
	});
});
