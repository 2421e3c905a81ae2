import type { Config } from '../lib/server/config.ts';
import type { Db } from '../lib/server/db/client.ts';
import { logger } from '../lib/server/log.ts';
import { syncRoutes } from '../lib/server/proxy/sync.ts';

/** Caddy restarted without its config must serve again within seconds. */
export const ROUTE_SYNC_EVERY_MS = 2_000;

/**
 * Pushes the whole table at boot, then checks every 2 s that Caddy still holds it (one small
 * admin GET) and pushes again when it does not: Caddy restarted, lost its config or drifted.
 * While Caddy is down it says so once, and again when it is back.
 */
export function startRouteSyncLoop(db: Db, cfg: Config) {
	let timer: NodeJS.Timeout | null = null;
	let stopped = false;
	let down = false;
	let force = true;
	const round = async () => {
		try {
			const result = await syncRoutes(db, cfg, { force });
			force = false;
			if (down) logger().info('Caddy is reachable again');
			down = false;
			if (result.pushed)
				logger().info({ routes: result.routes }, 'pushed the route table to Caddy');
		} catch (error) {
			if (!down)
				logger().warn({ err: error }, 'could not sync routes to Caddy; retrying every 2 s');
			down = true;
		}
		if (!stopped) timer = setTimeout(() => void round(), ROUTE_SYNC_EVERY_MS);
	};
	const first = round();
	return {
		first,
		stop: () => {
			stopped = true;
			if (timer) clearTimeout(timer);
		}
	};
}
