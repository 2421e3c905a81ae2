/** The explorer's filters live in the URL (a GET form), so a search can be shared and reloaded. */

export const RANGES = {
	'15m': { label: 'Last 15 minutes', ms: 15 * 60_000 },
	'1h': { label: 'Last hour', ms: 3_600_000 },
	'24h': { label: 'Last 24 hours', ms: 86_400_000 },
	'7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
	all: { label: 'Any time', ms: null }
} as const;
export type RangeKey = keyof typeof RANGES;

export const STREAM_CHOICES = {
	all: { label: 'All streams', streams: undefined },
	runtime: { label: 'Runtime (stdout, stderr)', streams: ['stdout', 'stderr'] },
	stderr: { label: 'stderr only', streams: ['stderr'] },
	build: { label: 'Build', streams: ['build'] },
	platform: { label: 'Platform', streams: ['platform'] }
} as const;
export type StreamChoice = keyof typeof STREAM_CHOICES;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Filters = {
	q: string;
	deployment: string;
	environment: string;
	stream: StreamChoice;
	range: RangeKey;
	before: number | null;
};

/** Reads the filters from a URL; anything malformed is ignored rather than an error page. */
export function readFilters(params: URLSearchParams): Filters {
	const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T) =>
		allowed.includes(value as T) ? (value as T) : fallback;
	const before = Number(params.get('before'));
	const env = params.get('environment') ?? '';
	return {
		q: (params.get('q') ?? '').trim().slice(0, 200),
		deployment: UUID.test(params.get('deployment') ?? '') ? params.get('deployment')! : '',
		environment: env === 'preview' || UUID.test(env) ? env : '',
		stream: pick(params.get('stream'), Object.keys(STREAM_CHOICES) as StreamChoice[], 'all'),
		range: pick(params.get('range'), Object.keys(RANGES) as RangeKey[], '24h'),
		before: Number.isSafeInteger(before) && before > 0 ? before : null
	};
}

/** The `logs.search` input for these filters at time `now`. */
export function searchInput(f: Filters, now: number) {
	const ms = RANGES[f.range].ms;
	return {
		text: f.q || undefined,
		deploymentId: f.deployment || undefined,
		environmentId: f.environment || undefined,
		streams: STREAM_CHOICES[f.stream].streams ? [...STREAM_CHOICES[f.stream].streams!] : undefined,
		from: ms ? new Date(now - ms) : undefined,
		before: f.before ?? undefined,
		limit: 100
	};
}

/** The URL of the next (older) page: same filters, a cursor. */
export function olderPageQuery(f: Filters, nextBefore: number): string {
	const params = new URLSearchParams();
	if (f.q) params.set('q', f.q);
	if (f.deployment) params.set('deployment', f.deployment);
	if (f.environment) params.set('environment', f.environment);
	if (f.stream !== 'all') params.set('stream', f.stream);
	params.set('range', f.range);
	params.set('before', String(nextBefore));
	return `?${params}`;
}
