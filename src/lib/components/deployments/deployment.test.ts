import { describe, expect, it } from 'vitest';
import { commitTitle, deploymentDurationMs, shortSha } from './deployment';

describe('deploymentDurationMs', () => {
	const createdAt = '2026-03-01T12:00:00.000Z';
	const t = (s: number) => Date.parse(createdAt) + s * 1000;

	it('measures up to ready, or to the end of a failed one', () => {
		expect(
			deploymentDurationMs({ state: 'ready', createdAt, readyAt: new Date(t(42)) }, t(900))
		).toBe(42_000);
		expect(
			deploymentDurationMs({ state: 'failed', createdAt, finishedAt: new Date(t(7)) }, t(900))
		).toBe(7000);
	});

	it('counts up to now while the deployment runs', () => {
		expect(deploymentDurationMs({ state: 'building', createdAt }, t(30))).toBe(30_000);
	});

	it('has no duration for one that ended without a time', () => {
		expect(deploymentDurationMs({ state: 'skipped', createdAt }, t(30))).toBeNull();
	});
});

describe('commit formatting', () => {
	it('keeps seven characters of a sha and the first line of a message', () => {
		expect(shortSha('0123456789abcdef')).toBe('0123456');
		expect(shortSha(null)).toBe('');
		expect(commitTitle('Fix login\n\nLonger body')).toBe('Fix login');
		expect(commitTitle(null)).toBe('');
	});
});
