import { describe, expect, it } from 'vitest';
import { formatDuration, timeAgo } from './time';

describe('timeAgo', () => {
	const now = Date.parse('2026-03-01T12:00:00Z');
	const ago = (seconds: number) => new Date(now - seconds * 1000);

	it('says "just now" for the last few seconds and for clock skew into the future', () => {
		expect(timeAgo(ago(3), now)).toBe('just now');
		expect(timeAgo(ago(-30), now)).toBe('just now');
	});

	it('uses the largest whole unit, singular for one', () => {
		expect(timeAgo(ago(45), now)).toBe('45 seconds ago');
		expect(timeAgo(ago(60), now)).toBe('1 minute ago');
		expect(timeAgo(ago(2 * 3600 + 59 * 60), now)).toBe('2 hours ago');
		expect(timeAgo(ago(86_400), now)).toBe('1 day ago');
		expect(timeAgo(ago(400 * 86_400), now)).toBe('1 year ago');
	});

	it('accepts ISO strings (what live events carry)', () => {
		expect(timeAgo(ago(300).toISOString(), now)).toBe('5 minutes ago');
	});
});

describe('formatDuration', () => {
	it('shows milliseconds under a second', () => {
		expect(formatDuration(850)).toBe('850 ms');
	});

	it('shows seconds, then minutes with padded seconds, then hours with padded minutes', () => {
		expect(formatDuration(42_000)).toBe('42s');
		expect(formatDuration(185_000)).toBe('3m 05s');
		expect(formatDuration(3_720_000)).toBe('1h 02m');
	});

	it('shows a dash for impossible values', () => {
		expect(formatDuration(-1)).toBe('—');
		expect(formatDuration(Number.NaN)).toBe('—');
	});
});
