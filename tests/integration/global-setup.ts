import { prepareTemplate } from '../helpers/db.ts';

export default async function setup() {
	process.env.SLIPWAY_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString('base64');
	process.env.LOG_LEVEL ??= 'silent';
	await prepareTemplate();
}
