import { prepareTemplate } from '../helpers/db.ts';
import { startTestCaddy } from '../helpers/caddy.ts';

export default async function setup() {
	process.env.SLIPWAY_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString('base64');
	process.env.LOG_LEVEL ??= 'silent';
	await prepareTemplate();
	// One Caddy every deploy in the suite pushes its routes to (routing tests start their own).
	const caddy = await startTestCaddy();
	process.env.CADDY_ADMIN_URL = caddy.adminUrl;
	process.env.SLIPWAY_PROXY_PORT = String(caddy.httpPort);
	process.env.CADDY_VERSION = '2.6';
	return () => caddy.stop();
}
