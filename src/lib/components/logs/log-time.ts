const pad = (n: number, width = 2) => String(n).padStart(width, '0');
// One formatter, made once: toLocale*String builds a new one per call, which is what made
// scrolling through a long log slow (thousands of rows per second are created).
let dayFormat: Intl.DateTimeFormat | undefined;

/** `14:03:07.042` in the viewer's time zone, with `Nov 25 ` in front when `withDate`. */
export function formatLogTime(at: Date, withDate = false): string {
	const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
	if (!withDate) return time;
	dayFormat ??= new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
	return `${dayFormat.format(at)} ${time}`;
}
