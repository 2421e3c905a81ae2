const units: [limit: number, size: number, name: string][] = [
	[60, 1, 'second'],
	[3600, 60, 'minute'],
	[86_400, 3600, 'hour'],
	[30 * 86_400, 86_400, 'day'],
	[365 * 86_400, 30 * 86_400, 'month'],
	[Infinity, 365 * 86_400, 'year']
];

/**
 * "5 minutes ago" relative to `now`. Pages pass the server's `now` from their load so the
 * server render and the hydrated page say the same thing; a future time reads "just now".
 */
export function timeAgo(date: Date | string, now: number): string {
	const seconds = Math.floor((now - new Date(date).getTime()) / 1000);
	if (seconds < 10) return 'just now';
	for (const [limit, size, name] of units) {
		if (seconds < limit) {
			const n = Math.floor(seconds / size);
			return `${n} ${name}${n === 1 ? '' : 's'} ago`;
		}
	}
	return 'long ago';
}

/** "850 ms", "42s", "3m 05s", "1h 02m": short enough for a table cell, exact enough to compare. */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) return '—';
	if (ms < 1000) return `${Math.round(ms)} ms`;
	const total = Math.floor(ms / 1000);
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	const pad = (n: number) => String(n).padStart(2, '0');
	if (h > 0) return `${h}h ${pad(m)}m`;
	if (m > 0) return `${m}m ${pad(s)}s`;
	return `${s}s`;
}

/** Full date and time for a tooltip, in the viewer's locale. */
export function formatDateTime(date: Date | string): string {
	return new Date(date).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
