/**
 * SvelteKit checks the origin of form posts only. A tRPC mutation authenticated by the session
 * cookie must come from our own pages: browsers send `Origin` on every cross-site POST, so a
 * missing or foreign one is refused. Bearer-token calls carry no ambient credential and pass.
 */
export function isCrossSiteMutation(request: Request, url: URL, cookieAuth: boolean): boolean {
	if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') {
		return false;
	}
	const origin = request.headers.get('origin');
	if (origin === null) return cookieAuth;
	return origin !== url.origin;
}
