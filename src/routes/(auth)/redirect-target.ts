/**
 * Where to go after logging in: the `redirectTo` path if it stays on this site, else the root
 * (which picks the user's team). Rejects `//host`, `/\host` and absolute URLs (open redirects).
 */
export function redirectTarget(value: string | null): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
		return '/';
	}
	return value;
}
