/**
 * adapter-node's BODY_SIZE_LIMIT is one number for every route. Slipway runs it at 25M because
 * GitHub's webhook deliveries can be that large (scripts/up.sh sets it); every other route keeps
 * adapter-node's default of 512 KiB here, checked on the declared Content-Length (browsers and
 * our clients always send one).
 */
export const DEFAULT_BODY_LIMIT = 512 * 1024;

/** Routes that read their own, larger body with a cap of their own. */
const LARGE_BODY_PATHS = new Set(['/api/webhooks/github']);

export function exceedsBodyLimit(request: Request, url: URL): boolean {
	if (LARGE_BODY_PATHS.has(url.pathname)) return false;
	const declared = Number(request.headers.get('content-length'));
	return Number.isFinite(declared) && declared > DEFAULT_BODY_LIMIT;
}
