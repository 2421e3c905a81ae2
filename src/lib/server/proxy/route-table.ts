import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db, Tx } from '../db/client.ts';
import { aliases, deployments, projects } from '../db/schema/index.ts';
import { deploymentHostname } from './hostnames.ts';

export type Route = { host: string; upstream: string; deploymentId: string };

export type TableConfig = Pick<Config, 'SLIPWAY_DEPLOY_DOMAIN' | 'SLIPWAY_RUNTIME_BIND'>;

/**
 * Every hostname Slipway serves for apps, read from the database (the source of truth): each
 * alias that points at a deployment with a running container, then each ready deployment's
 * immutable hostname. When two would claim one host, the alias wins; order is stable, so the
 * same rows always give the same table.
 */
export async function loadRouteTable(db: Db | Tx, cfg: TableConfig): Promise<Route[]> {
	const domain = cfg.SLIPWAY_DEPLOY_DOMAIN.toLowerCase();
	const upstream = (port: number) => `${cfg.SLIPWAY_RUNTIME_BIND}:${port}`;
	const aliased = await db
		.select({ label: aliases.label, deploymentId: deployments.id, hostPort: deployments.hostPort })
		.from(aliases)
		.innerJoin(deployments, eq(deployments.id, aliases.deploymentId))
		.where(and(isNotNull(deployments.containerId), isNotNull(deployments.hostPort)))
		.orderBy(aliases.label);
	const running = await db
		.select({ id: deployments.id, slug: projects.slug, hostPort: deployments.hostPort })
		.from(deployments)
		.innerJoin(projects, eq(projects.id, deployments.projectId))
		.where(
			and(
				eq(deployments.state, 'ready'),
				isNotNull(deployments.containerId),
				isNotNull(deployments.hostPort),
				isNull(deployments.stoppedAt)
			)
		)
		.orderBy(deployments.id);
	const routes = new Map<string, Route>();
	for (const a of aliased) {
		routes.set(`${a.label}.${domain}`, {
			host: `${a.label}.${domain}`,
			upstream: upstream(a.hostPort!),
			deploymentId: a.deploymentId
		});
	}
	for (const d of running) {
		const host = deploymentHostname({ projectSlug: d.slug, deploymentId: d.id, domain });
		if (!routes.has(host)) {
			routes.set(host, { host, upstream: upstream(d.hostPort!), deploymentId: d.id });
		}
	}
	return [...routes.values()];
}

/** Whether a hostname is one Slipway serves right now (Caddy's on-demand TLS `ask`). */
export async function isServedHost(
	db: Db,
	cfg: TableConfig & Pick<Config, 'APP_HOSTNAME'>,
	host: string
) {
	const name = host.toLowerCase();
	if (name === cfg.APP_HOSTNAME) return true;
	const table = await loadRouteTable(db, cfg);
	return table.some((r) => r.host === name);
}
