import { sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db, Tx } from '../db/client.ts';
import { proxyHttpPort } from '../deployments/urls.ts';
import { loadCaddyConfig, readCaddyMarker } from './caddy-admin.ts';
import { buildCaddyConfig, parseCaddyVersion, type ProxyOptions } from './caddy-config.ts';
import { loadRouteTable } from './route-table.ts';

export type ProxyConfig = Pick<
	Config,
	| 'SLIPWAY_DEPLOY_DOMAIN'
	| 'SLIPWAY_RUNTIME_BIND'
	| 'SLIPWAY_PROXY_MODE'
	| 'SLIPWAY_PROXY_PORT'
	| 'SLIPWAY_PROXY_HTTPS_PORT'
	| 'CADDY_ADMIN_URL'
	| 'CADDY_VERSION'
	| 'APP_HOSTNAME'
	| 'SLIPWAY_WEB_UPSTREAM'
	| 'SLIPWAY_TLS_ISSUER'
	| 'SLIPWAY_ACME_EMAIL'
>;

export function proxyOptions(cfg: ProxyConfig): ProxyOptions {
	return {
		mode: cfg.SLIPWAY_PROXY_MODE,
		httpPort: proxyHttpPort(cfg),
		httpsPort: cfg.SLIPWAY_PROXY_HTTPS_PORT,
		adminListen: new URL(cfg.CADDY_ADMIN_URL).host,
		appHostname: cfg.APP_HOSTNAME,
		webUpstream: cfg.SLIPWAY_WEB_UPSTREAM,
		deployDomain: cfg.SLIPWAY_DEPLOY_DOMAIN.toLowerCase(),
		caddyVersion: parseCaddyVersion(cfg.CADDY_VERSION),
		tlsIssuer: cfg.SLIPWAY_TLS_ISSUER,
		acmeEmail: cfg.SLIPWAY_ACME_EMAIL
	};
}

/**
 * Route pushes are serialised instance-wide: each one is built from the database inside the
 * transaction that changes aliases, so a push never undoes another that committed before it.
 */
export async function lockRoutes(tx: Tx) {
	await tx.execute(sql`select pg_advisory_xact_lock(hashtext('slipway:routes'))`);
}

async function tableFor(db: Db | Tx, cfg: ProxyConfig) {
	const routes = await loadRouteTable(db, cfg);
	return { routes, ...buildCaddyConfig(routes, proxyOptions(cfg)) };
}

/**
 * Builds the table as `tx` sees it and loads it into Caddy. Call with the routes lock held,
 * inside the transaction that made the change: when Caddy refuses, the change rolls back too.
 */
export async function pushRoutes(tx: Tx, cfg: ProxyConfig) {
	const { routes, config, hash } = await tableFor(tx, cfg);
	await loadCaddyConfig(cfg.CADDY_ADMIN_URL, config);
	return { routes: routes.length, hash };
}

/**
 * Makes Caddy serve what the database says: cheap when nothing changed (one small admin GET);
 * pushes the whole table when Caddy restarted without its config, or drifted. The reconciler
 * runs it every few seconds.
 */
export async function syncRoutes(db: Db, cfg: ProxyConfig, options: { force?: boolean } = {}) {
	if (!options.force) {
		const { routes, hash } = await tableFor(db, cfg);
		if ((await readCaddyMarker(cfg.CADDY_ADMIN_URL)) === hash) {
			return { pushed: false, routes: routes.length, hash };
		}
	}
	return db.transaction(async (tx) => {
		await lockRoutes(tx);
		return { pushed: true, ...(await pushRoutes(tx, cfg)) };
	});
}
