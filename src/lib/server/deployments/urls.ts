import type { Config } from '../config.ts';
import { aliasHostname, deploymentHostname, type AliasTarget } from '../proxy/hostnames.ts';

export type UrlConfig = Pick<
	Config,
	'SLIPWAY_DEPLOY_DOMAIN' | 'SLIPWAY_DEPLOY_PROTOCOL' | 'SLIPWAY_DEPLOY_PORT'
>;

function toUrl(cfg: UrlConfig, host: string) {
	const port = cfg.SLIPWAY_DEPLOY_PORT ? `:${cfg.SLIPWAY_DEPLOY_PORT}` : '';
	return `${cfg.SLIPWAY_DEPLOY_PROTOCOL}://${host}${port}`;
}

export function aliasUrl(cfg: UrlConfig, projectSlug: string, target: AliasTarget) {
	return toUrl(cfg, aliasHostname({ projectSlug, target, domain: cfg.SLIPWAY_DEPLOY_DOMAIN }));
}

export function deploymentUrl(cfg: UrlConfig, projectSlug: string, deploymentId: string) {
	return toUrl(
		cfg,
		deploymentHostname({ projectSlug, deploymentId, domain: cfg.SLIPWAY_DEPLOY_DOMAIN })
	);
}
