const browsers: [RegExp, string][] = [
	[/Edg\//, 'Edge'],
	[/OPR\//, 'Opera'],
	[/Firefox\//, 'Firefox'],
	[/Chrom(e|ium)\//, 'Chrome'],
	[/Safari\//, 'Safari'],
	[/^curl\//, 'curl']
];
const systems: [RegExp, string][] = [
	[/Windows/, 'Windows'],
	[/Android/, 'Android'],
	[/iPhone|iPad/, 'iOS'],
	[/Mac OS X|Macintosh/, 'macOS'],
	[/CrOS/, 'ChromeOS'],
	[/Linux/, 'Linux']
];

/** "Firefox on macOS" from a User-Agent header: enough to recognise one's own devices. */
export function describeUserAgent(userAgent: string | null): string {
	if (!userAgent) return 'Unknown device';
	const browser = browsers.find(([re]) => re.test(userAgent))?.[1];
	const system = systems.find(([re]) => re.test(userAgent))?.[1];
	if (browser && system) return `${browser} on ${system}`;
	return browser ?? system ?? 'Unknown browser';
}

/**
 * "5 minutes ago", relative to `now` from the server load, so server and browser render the
 * same text (no hydration mismatch across time zones or clocks).
 */
export function timeAgo(date: Date, now: number): string {
	const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
	if (seconds < 60) return 'just now';
	const units: [number, string][] = [
		[60 * 60 * 24, 'day'],
		[60 * 60, 'hour'],
		[60, 'minute']
	];
	const [size, unit] = units.find(([s]) => seconds >= s)!;
	const n = Math.floor(seconds / size);
	return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}
