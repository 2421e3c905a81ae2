import { describe, expect, it } from 'vitest';
import {
	buildCaddyConfig,
	MARKER_ID,
	NOT_FOUND_PATH,
	parseCaddyVersion,
	type ProxyOptions
} from './caddy-config.ts';

const local: ProxyOptions = {
	mode: 'local',
	httpPort: 8080,
	httpsPort: 443,
	adminListen: '127.0.0.1:2019',
	appHostname: 'localhost',
	webUpstream: '127.0.0.1:3000',
	deployDomain: 'localhost',
	caddyVersion: [2, 6],
	tlsIssuer: 'acme'
};
const routes = [
	{ host: 'shop.localhost', upstream: '127.0.0.1:40001', deploymentId: 'd1' },
	{ host: 'blog.localhost', upstream: '127.0.0.1:40002', deploymentId: 'd2' }
];

type AnyJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const serverOf = (config: AnyJson) => config.apps.http.servers.slipway;

describe('Caddy config', () => {
	it('lays out marker, dashboard, one bulk route with a host map, then the not-found catch-all', () => {
		const { config, hash } = buildCaddyConfig(routes, local) as { config: AnyJson; hash: string };
		expect(config.admin).toEqual({ listen: '127.0.0.1:2019' });
		const server = serverOf(config);
		expect(server.listen).toEqual(['127.0.0.1:8080']);
		expect(server.automatic_https).toEqual({ disable: true });
		const [marker, app] = server.routes;
		const bulk = server.routes.find((r: AnyJson) => r.handle[0].handler === 'map');
		const catchAll = server.routes.at(-1);
		expect(marker['@id']).toBe(MARKER_ID);
		expect(marker.handle[0].body).toBe(hash);
		expect(app.match[0].host).toEqual(['localhost']);
		expect(app.handle[0].upstreams).toEqual([{ dial: '127.0.0.1:3000' }]);
		expect(bulk.match[0].host).toEqual(['blog.localhost', 'shop.localhost']);
		expect(bulk.handle[0]).toMatchObject({
			handler: 'map',
			source: '{http.request.host}',
			mappings: [
				{ input: 'blog.localhost', outputs: ['127.0.0.1:40002'] },
				{ input: 'shop.localhost', outputs: ['127.0.0.1:40001'] }
			]
		});
		expect(bulk.handle[0].defaults).toEqual(['none']);
		// A host the map does not know exactly (other letter case) gets the not-found page.
		const [unknown, known] = bulk.handle[1].routes;
		expect(unknown.match).toEqual([{ vars: { '{slipway_upstream}': ['none'] } }]);
		expect(JSON.stringify(unknown.handle)).toContain(NOT_FOUND_PATH);
		expect(known.handle[0].upstreams).toEqual([{ dial: '{slipway_upstream}' }]);
		expect(catchAll.match).toBeUndefined();
		expect(catchAll.handle.at(-1).upstreams).toEqual([{ dial: '127.0.0.1:3000' }]);
		expect(JSON.stringify(catchAll)).toContain(NOT_FOUND_PATH);
		expect(config.apps.tls).toBeUndefined();
	});

	it('gives the same JSON and hash for the same routes in any order, and a new hash on change', () => {
		const a = buildCaddyConfig(routes, local);
		const b = buildCaddyConfig([...routes].reverse(), local);
		expect(b).toEqual(a);
		const moved = buildCaddyConfig(
			[{ ...routes[0], upstream: '127.0.0.1:40003' }, routes[1]],
			local
		);
		expect(moved.hash).not.toBe(a.hash);
	});

	it('has no bulk route when nothing is deployed', () => {
		const { config } = buildCaddyConfig([], local) as { config: AnyJson };
		const handlers = serverOf(config).routes.map((r: AnyJson) => r.handle[0].handler);
		expect(handlers).not.toContain('map');
	});

	it('in production asks the web app before issuing on-demand certificates, in each version’s field', () => {
		const production: ProxyOptions = { ...local, mode: 'production', httpPort: 80 };
		const old = buildCaddyConfig(routes, production).config as AnyJson;
		expect(old.apps.tls.automation.on_demand).toEqual({
			ask: 'http://127.0.0.1:3000/api/caddy/ask'
		});
		const modern = buildCaddyConfig(routes, { ...production, caddyVersion: [2, 10] })
			.config as AnyJson;
		expect(modern.apps.tls.automation.on_demand).toEqual({
			permission: { module: 'http', endpoint: 'http://127.0.0.1:3000/api/caddy/ask' }
		});
		const policies = modern.apps.tls.automation.policies;
		expect(policies[0].subjects).toEqual(['localhost']);
		expect(policies.at(-1).on_demand).toBe(true);
	});

	it('reads Caddy version strings', () => {
		expect(parseCaddyVersion('v2.6.2 h1:abc')).toEqual([2, 6]);
		expect(parseCaddyVersion('2.10.0')).toEqual([2, 10]);
		expect(parseCaddyVersion('garbage')).toEqual([2, 10]);
	});
});
