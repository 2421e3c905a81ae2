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

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * SvelteKit's own form-post origin check, minus the deploy hooks: CI systems POST to those from
 * anywhere (curl -d '' sends a form content type), and the secret in the URL authorizes them.
 */
export function isCrossSiteFormPost(request: Request, url: URL): boolean {
	if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS')
		return false;
	if (url.pathname.startsWith('/api/hooks/')) return false;
	const type = request.headers.get('content-type')?.split(';')[0].trim().toLowerCase() ?? '';
	if (!FORM_TYPES.includes(type)) return false;
	return request.headers.get('origin') !== url.origin;
}
