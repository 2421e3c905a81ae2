// Prints the config scripts/up.sh starts Caddy with (`caddy run --resume --config <this>`): the
// same config the worker pushes, with an empty route table. So Caddy answers at once: the
// dashboard on APP_HOSTNAME and the "deployment not found" page for every other host, before
// the worker has pushed the real table (it does within seconds of starting).
//
//   node scripts/caddy-bootstrap.ts > bootstrap.json   # reads the same environment as web/worker
import { parseConfig } from '../src/lib/server/config.ts';
import { buildCaddyConfig } from '../src/lib/server/proxy/caddy-config.ts';
import { proxyOptions } from '../src/lib/server/proxy/sync.ts';

try {
	const cfg = parseConfig(process.env);
	const { config } = buildCaddyConfig([], proxyOptions(cfg));
	process.stdout.write(`${JSON.stringify(config, null, '\t')}\n`);
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
}
