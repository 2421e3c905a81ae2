import { describe, expect, it } from 'vitest';
import { describeUserAgent, timeAgo } from './describe-session';

describe('describeUserAgent', () => {
	it.each([
		[
			'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36',
			'Chrome on Linux'
		],
		[
			'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0',
			'Firefox on macOS'
		],
		[
			'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
			'Safari on iOS'
		],
		[
			'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
			'Edge on Windows'
		],
		['curl/8.5.0', 'curl'],
		[null, 'Unknown device'],
		['', 'Unknown device']
	])('%s is %s', (ua, expected) => {
		expect(describeUserAgent(ua)).toBe(expected);
	});
});

describe('timeAgo', () => {
	const now = Date.UTC(2025, 0, 10, 12, 0, 0);
	const ago = (s: number) => timeAgo(new Date(now - s * 1000), now);

	it('rounds to the largest whole unit', () => {
		expect(ago(5)).toBe('just now');
		expect(ago(60)).toBe('1 minute ago');
		expect(ago(59 * 60)).toBe('59 minutes ago');
		expect(ago(2 * 3600 + 10)).toBe('2 hours ago');
		expect(ago(3 * 86400)).toBe('3 days ago');
	});

	it('treats a clock slightly ahead as now', () => {
		expect(ago(-30)).toBe('just now');
	});
});
