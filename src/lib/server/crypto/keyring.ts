import type { Config } from '../config.ts';
import { parseKeyring, type Keyring } from './secret-box.ts';

/** The process keyring: the current key seals, previous keys still open older values. */
export function keyringFromConfig(
	cfg: Pick<Config, 'SLIPWAY_ENCRYPTION_KEY' | 'SLIPWAY_ENCRYPTION_KEY_PREVIOUS'>
): Keyring {
	return parseKeyring({
		current: cfg.SLIPWAY_ENCRYPTION_KEY,
		previous: cfg.SLIPWAY_ENCRYPTION_KEY_PREVIOUS
	});
}
