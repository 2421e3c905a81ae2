import type { Config } from '../config.ts';
import { aliasHostname, deploymentHostname, type AliasTarget } from '../proxy/hostnames.ts';

export type UrlConfig = Pick<
	Config,
	'SLIPWAY_DEPLOY_DOMAIN' | 'SLIPWAY_PROXY_MODE' | 'SLIPWAY_PROXY_PORT' | 'SLIPWAY_PROXY_HTTPS_PORT'
>;

/** The port Caddy serves plain HTTP on: 8080 in local mode, 80 in production, unless set. */
export function proxyHttpPort(cfg: Pick<Config, 'SLIPWAY_PROXY_MODE' | 'SLIPWAY_PROXY_PORT'>) {
	return cfg.SLIPWAY_PROXY_PORT ?? (cfg.SLIPWAY_PROXY_MODE === 'local' ? 8080 : 80);
}

/** `http://host:8080` in local mode, `https://host` in production (ports only when unusual). */
export function publicUrl(cfg: Omit<UrlConfig, 'SLIPWAY_DEPLOY_DOMAIN'>, host: string) {
	if (cfg.SLIPWAY_PROXY_MODE === 'production') {
		const port = cfg.SLIPWAY_PROXY_HTTPS_PORT === 443 ? '' : `:${cfg.SLIPWAY_PROXY_HTTPS_PORT}`;
		return `https://${host}${port}`;
	}
	const http = proxyHttpPort(cfg);
	return `http://${host}${http === 80 ? '' : `:${http}`}`;
}

export function aliasUrl(cfg: UrlConfig, projectSlug: string, target: AliasTarget) {
	return publicUrl(cfg, aliasHostname({ projectSlug, target, domain: cfg.SLIPWAY_DEPLOY_DOMAIN }));
}

/** The URL of an alias whose label is stored (labels can carry a collision suffix). */
export function labelUrl(cfg: UrlConfig, label: string) {
	return publicUrl(cfg, `${label}.${cfg.SLIPWAY_DEPLOY_DOMAIN}`);
}

export function deploymentUrl(cfg: UrlConfig, projectSlug: string, deploymentId: string) {
	return publicUrl(
		cfg,
		deploymentHostname({ projectSlug, deploymentId, domain: cfg.SLIPWAY_DEPLOY_DOMAIN })
	);
}
