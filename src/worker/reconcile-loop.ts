import type { Db } from '../lib/server/db/client.ts';
import { reconcileDeployments } from '../lib/server/deployments/reconcile.ts';
import { logger } from '../lib/server/log.ts';
import type { LogCollector } from './log-collector.ts';

export const RECONCILE_EVERY_MS = 10_000;

/** Runs the reconciler now and then every 10 s; a failed round is logged and retried. */
export function startReconcileLoop(db: Db, collector: LogCollector) {
	let timer: NodeJS.Timeout | null = null;
	let stopped = false;
	const round = async () => {
		try {
			await reconcileDeployments({ db, onReadyContainer: (d) => collector.attach(d, true) });
		} catch (error) {
			logger().warn({ err: error }, 'reconcile round failed; retrying');
		}
		if (!stopped) timer = setTimeout(() => void round(), RECONCILE_EVERY_MS);
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
