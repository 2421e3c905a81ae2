/**
 * A minimal browser for HTTP-level tests of redirect flows (OAuth, GitHub's manifest flow): it
 * keeps cookies per host, follows redirects by hand across hosts, and sends `Origin` on POSTs
 * the way a real browser does for a form on the page it came from.
 */
export type Step = { method: string; url: string; status: number; location: string | null };

export class CookieBrowser {
	readonly jar = new Map<string, Map<string, string>>();
	readonly steps: Step[] = [];

	setCookie(url: string, name: string, value: string) {
		const host = new URL(url).host;
		if (!this.jar.has(host)) this.jar.set(host, new Map());
		this.jar.get(host)!.set(name, value);
	}

	cookie(url: string, name: string): string | undefined {
		return this.jar.get(new URL(url).host)?.get(name);
	}

	private store(url: string, response: Response) {
		const host = new URL(url).host;
		if (!this.jar.has(host)) this.jar.set(host, new Map());
		const cookies = this.jar.get(host)!;
		for (const line of response.headers.getSetCookie()) {
			const [pair, ...attrs] = line.split(';').map((s) => s.trim());
			const eq = pair.indexOf('=');
			const name = pair.slice(0, eq);
			const value = pair.slice(eq + 1);
			const expired = attrs.some(
				(a) =>
					/^max-age=0$/i.test(a) ||
					(/^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now())
			);
			if (expired || value === '') cookies.delete(name);
			else cookies.set(name, value);
		}
	}

	/** One request, no redirect followed. `form` makes it an urlencoded POST. */
	async request(
		url: string,
		init: { method?: string; form?: Record<string, string>; origin?: string } = {}
	): Promise<Response> {
		const method = init.method ?? (init.form ? 'POST' : 'GET');
		const headers: Record<string, string> = { accept: 'text/html' };
		const cookies = this.jar.get(new URL(url).host);
		if (cookies?.size) {
			headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		}
		let body: string | undefined;
		if (init.form) {
			headers['content-type'] = 'application/x-www-form-urlencoded';
			body = new URLSearchParams(init.form).toString();
			headers.origin = init.origin ?? new URL(url).origin;
		}
		const response = await fetch(url, { method, headers, body, redirect: 'manual' });
		this.store(url, response);
		const location = response.headers.get('location');
		this.steps.push({ method, url, status: response.status, location });
		return response;
	}

	/** Requests `url` and follows redirects (GET) until a page answers; returns it and its URL. */
	async follow(
		url: string,
		init: { method?: string; form?: Record<string, string>; origin?: string } = {}
	): Promise<{ response: Response; url: string; html: string }> {
		let current = url;
		let response = await this.request(current, init);
		for (let hops = 0; response.status >= 300 && response.status < 400; hops++) {
			if (hops > 10) throw new Error(`too many redirects from ${url}`);
			current = new URL(response.headers.get('location')!, current).toString();
			await response.body?.cancel();
			response = await this.request(current);
		}
		return { response, url: current, html: await response.text() };
	}
}

/** Text content of an HTML page, entities decoded, tags dropped: what a user reads. */
export function pageText(html: string): string {
	return decodeEntities(
		html
			.replace(/<script[\s\S]*?<\/script>/g, ' ')
			.replace(/<[^>]+>/g, ' ')
			.replace(/\s+/g, ' ')
	);
}

export function decodeEntities(s: string): string {
	return s
		.replace(/&quot;/g, '"')
		.replace(/&#39;|&#x27;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}
