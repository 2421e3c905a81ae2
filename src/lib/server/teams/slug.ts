/** First path segments the app uses itself; a team may not take them. */
export const RESERVED_SLUGS = new Set([
	'account',
	'admin',
	'api',
	'app',
	'assets',
	'auth',
	'favicon.ico',
	'healthz',
	'login',
	'logout',
	'new',
	'not-found',
	'readyz',
	'settings',
	'signup',
	'static',
	'teams',
	'_app'
]);

export function slugify(input: string, fallback = 'team'): string {
	const slug = input
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 40)
		.replace(/-+$/g, '');
	return slug || fallback;
}

/** `base`, or `base-2`, `base-3`… skipping reserved and taken slugs. */
export function availableSlug(base: string, taken: (slug: string) => boolean): string {
	for (let n = 1; ; n++) {
		const candidate = n === 1 ? base : `${base}-${n}`;
		if (!RESERVED_SLUGS.has(candidate) && !taken(candidate)) return candidate;
	}
}
