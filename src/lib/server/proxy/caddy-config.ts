import { createHash } from 'node:crypto';
import type { Route } from './route-table.ts';

export type ProxyOptions = {
	mode: 'local' | 'production';
	httpPort: number;
	httpsPort: number;
	/** host:port of Caddy's admin API (the config must keep it where it is). */
	adminListen: string;
	appHostname: string;
	webUpstream: string;
	deployDomain: string;
	/** [major, minor] of the Caddy that runs: a few field names changed in 2.8. */
	caddyVersion: [number, number];
	tlsIssuer: 'acme' | 'internal';
	acmeEmail?: string;
};

/** Host of the marker route: `GET /id/slipway-config` tells which table Caddy holds. */
export const MARKER_ID = 'slipway-config';
export const NOT_FOUND_PATH = '/_slipway/not-found';
const NO_UPSTREAM = 'none';
/** Files of the web app an unknown host may load as they are: SvelteKit's hashed build assets. */
const NOT_FOUND_ASSETS = ['/_app/immutable/*', '/favicon.svg'];

type Json = Record<string, unknown>;

/**
 * Keep plenty of idle connections to each app: Caddy's small default pool made it open a new
 * connection (through Docker's port proxy) for most requests under load.
 */
const proxyTo = (dial: string): Json => ({
	handler: 'reverse_proxy',
	transport: { protocol: 'http', keep_alive: { max_idle_conns_per_host: 1024 } },
	upstreams: [{ dial }]
});

/**
 * The whole Caddy config for a route table (../shared/caddy.md "Route layout that scales"):
 * a marker route carrying the table's hash, the dashboard, ONE route whose host matcher lists
 * every app host with a `map` from host to upstream, then catch-alls that send unknown hosts
 * to the dashboard's "deployment not found" page. Pure: the same input gives the same JSON.
 */
export function buildCaddyConfig(
	routes: Route[],
	opts: ProxyOptions
): { config: Json; hash: string } {
	const sorted = [...routes].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
	const hash = createHash('sha256')
		.update(JSON.stringify({ sorted: sorted.map((r) => [r.host, r.upstream]), opts }))
		.digest('hex')
		.slice(0, 16);
	const notFound = (): Json[] => [
		{ handler: 'rewrite', uri: NOT_FOUND_PATH },
		proxyTo(opts.webUpstream)
	];
	const appRoutes: Json[] = sorted.length
		? [
				{
					match: [{ host: sorted.map((r) => r.host) }],
					handle: [
						{
							handler: 'map',
							source: '{http.request.host}',
							destinations: ['{slipway_upstream}'],
							mappings: sorted.map((r) => ({ input: r.host, outputs: [r.upstream] })),
							// The host matcher ignores case, the map does not (`Shop.localhost`).
							defaults: [NO_UPSTREAM]
						},
						{
							handler: 'subroute',
							routes: [
								{
									match: [{ vars: { '{slipway_upstream}': [NO_UPSTREAM] } }],
									handle: notFound(),
									terminal: true
								},
								{ handle: [proxyTo('{slipway_upstream}')] }
							]
						}
					],
					terminal: true
				}
			]
		: [];

	const server: Json = {
		listen: opts.mode === 'local' ? [`127.0.0.1:${opts.httpPort}`] : [`:${opts.httpsPort}`],
		routes: [
			{
				'@id': MARKER_ID,
				match: [{ host: [`${MARKER_ID}.invalid`] }],
				handle: [{ handler: 'static_response', body: hash }],
				terminal: true
			},
			{
				match: [{ host: [opts.appHostname] }],
				handle: [proxyTo(opts.webUpstream)],
				terminal: true
			},
			...appRoutes,
			// The not-found page's stylesheet and icon, fetched from the unknown host itself.
			{
				match: [{ path: NOT_FOUND_ASSETS }],
				handle: [proxyTo(opts.webUpstream)],
				terminal: true
			},
			{ handle: notFound(), terminal: true }
		]
	};
	const servers: Json = { slipway: server };
	if (opts.mode === 'local') {
		server.automatic_https = { disable: true };
	} else {
		// Plain HTTP only redirects (Caddy answers ACME HTTP challenges on this port before any
		// route). Caddy's own redirects would land behind the catch-all of a server that also
		// listened here and never run, so the app serves HTTPS only and this one redirects.
		server.automatic_https = { disable_redirects: true };
		const port = opts.httpsPort === 443 ? '' : `:${opts.httpsPort}`;
		servers.slipway_http = {
			listen: [`:${opts.httpPort}`],
			routes: [
				{
					handle: [
						{
							handler: 'static_response',
							status_code: 308,
							headers: { Location: [`https://{http.request.host}${port}{http.request.uri}`] }
						}
					],
					terminal: true
				}
			]
		};
	}
	const apps: Json = {
		http: { http_port: opts.httpPort, https_port: opts.httpsPort, servers }
	};
	if (opts.mode === 'production') apps.tls = tlsApp(opts);
	if (opts.mode === 'production' && opts.tlsIssuer === 'internal') {
		// Caddy would otherwise add its root to this machine's trust store (and run
		// update-ca-certificates, blocking the load for ~30 s). The clients are what must trust
		// it: they fetch the root from the admin API (`GET /pki/ca/local`) or Caddy's data folder.
		apps.pki = { certificate_authorities: { local: { install_trust: false } } };
	}
	return { config: { admin: { listen: opts.adminListen }, apps }, hash };
}

/**
 * Production TLS: the dashboard's certificate is obtained at start; app hostnames get theirs
 * on demand at the first handshake, and only for hosts the web app's `ask` endpoint approves
 * (hosts Slipway serves), so nobody can make Caddy request certificates for arbitrary names.
 */
function tlsApp(opts: ProxyOptions): Json {
	const issuer: Json =
		opts.tlsIssuer === 'internal'
			? { module: 'internal' }
			: { module: 'acme', ...(opts.acmeEmail ? { email: opts.acmeEmail } : {}) };
	const ask = `http://${opts.webUpstream}/api/caddy/ask`;
	const modern = opts.caddyVersion[0] > 2 || opts.caddyVersion[1] >= 8;
	const onDemand: Json = modern ? { permission: { module: 'http', endpoint: ask } } : { ask };
	return {
		automation: {
			on_demand: onDemand,
			policies: [
				{ subjects: [opts.appHostname], issuers: [issuer] },
				{ on_demand: true, issuers: [issuer] }
			]
		}
	};
}

/** Caddy version text (`2.6.2`, `v2.10.0 h1:…`) → [major, minor]. */
export function parseCaddyVersion(text: string): [number, number] {
	const m = /(\d+)\.(\d+)/.exec(text);
	return m ? [Number(m[1]), Number(m[2])] : [2, 10];
}
