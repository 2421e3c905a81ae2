import type { Config } from '../config.ts';
import type { Keyring } from './secret-box.ts';

/** The current key seals; previous keys (after a rotation) still open older values. */
export function keyringFromConfig(
	cfg: Pick<Config, 'SLIPWAY_ENCRYPTION_KEY' | 'SLIPWAY_ENCRYPTION_KEY_PREVIOUS'>
): Keyring {
	const previous = (cfg.SLIPWAY_ENCRYPTION_KEY_PREVIOUS ?? '')
		.split(',')
		.map((k) => k.trim())
		.filter(Boolean)
		.map((k) => Buffer.from(k, 'base64'));
	return { current: Buffer.from(cfg.SLIPWAY_ENCRYPTION_KEY, 'base64'), previous };
}
