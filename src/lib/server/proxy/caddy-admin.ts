import { request } from 'node:http';
import { MARKER_ID } from './caddy-config.ts';

/** Caddy's admin API did not take a config: the message says what to check. */
export class CaddyUnavailable extends Error {}

/**
 * One admin call on a fresh connection: the admin endpoint restarts on every load, and a pooled
 * keep-alive connection to it fails now and then (../shared/caddy.md).
 */
function call(
	adminUrl: string,
	method: 'GET' | 'POST',
	path: string,
	body?: string,
	timeoutMs = 10_000
): Promise<{ status: number; text: string }> {
	const url = new URL(path, adminUrl);
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{
				method,
				agent: false,
				timeout: timeoutMs,
				headers: body
					? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
					: {}
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })
				);
				res.on('error', reject);
			}
		);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
		req.on('error', (error) =>
			reject(
				new CaddyUnavailable(
					`Caddy's admin API at ${url.origin} did not answer (${(error as NodeJS.ErrnoException).code ?? error.message}). Check that Caddy is running with its admin API there (CADDY_ADMIN_URL).`
				)
			)
		);
		req.end(body);
	});
}

/** Replaces Caddy's whole config atomically (`POST /load`). */
export async function loadCaddyConfig(adminUrl: string, config: object): Promise<void> {
	const res = await call(adminUrl, 'POST', '/load', JSON.stringify(config));
	if (res.status !== 200) {
		throw new CaddyUnavailable(
			`Caddy refused the route table (HTTP ${res.status}): ${res.text.slice(0, 500)}`
		);
	}
}

/** The hash of the table Caddy serves now, or null when it has none of ours (fresh start). */
export async function readCaddyMarker(adminUrl: string): Promise<string | null> {
	const res = await call(adminUrl, 'GET', `/id/${MARKER_ID}`, undefined, 5_000);
	if (res.status !== 200) return null;
	try {
		const route = JSON.parse(res.text) as { handle?: { body?: string }[] };
		return route.handle?.[0]?.body ?? null;
	} catch {
		return null;
	}
}
