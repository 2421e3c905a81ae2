import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';

/** `current` seals new values; `previous` keys only open values sealed before a rotation. */
export type Keyring = { current: Buffer; previous?: readonly Buffer[] };

const VERSION = 'v1';
const KEY_BYTES = 32;
// 96-bit IVs are what GCM is specified for; random ones are safe for far more values than we store.
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Stored beside the ciphertext so a value names the key that opens it. */
export function computeKeyId(key: Buffer): string {
	return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function assertKeyLength(key: Buffer) {
	if (key.length !== KEY_BYTES) {
		throw new AppError(
			'UNAVAILABLE',
			`Encryption keys must be ${KEY_BYTES} bytes; generate one with \`openssl rand -base64 32\`.`
		);
	}
}

function findKey(keyring: Keyring, kid: string): Buffer | undefined {
	return [keyring.current, ...(keyring.previous ?? [])].find((key) => computeKeyId(key) === kid);
}

type Sealed = { kid: string; iv: Buffer; tag: Buffer; ciphertext: Buffer };

const B64URL = /^[A-Za-z0-9_-]*$/;

function parseSealed(sealed: string): Sealed {
	const parts = sealed.split('.');
	const [version, kid, iv, tag, ciphertext] = parts;
	if (
		parts.length !== 5 ||
		version !== VERSION ||
		!/^[0-9a-f]{8}$/.test(kid) ||
		![iv, tag, ciphertext].every((part) => B64URL.test(part))
	) {
		throw damaged();
	}
	return {
		kid,
		iv: Buffer.from(iv, 'base64url'),
		tag: Buffer.from(tag, 'base64url'),
		ciphertext: Buffer.from(ciphertext, 'base64url')
	};
}

function damaged() {
	return new AppError(
		'INVALID',
		'A stored secret could not be decrypted: it is damaged or belongs to another record. Set the value again.'
	);
}

/**
 * Seals `plaintext` as `v1.<kid>.<iv>.<tag>.<ciphertext>` (base64url parts).
 * `aad` binds the value to its owner (e.g. an env var id): the same ciphertext copied onto another
 * record will not decrypt there.
 */
export function encryptSecret({
	keyring,
	plaintext,
	aad
}: {
	keyring: Keyring;
	plaintext: string;
	aad?: string;
}): string {
	assertKeyLength(keyring.current);
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', keyring.current, iv, { authTagLength: TAG_BYTES });
	if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
	const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
	const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
	return [VERSION, computeKeyId(keyring.current), ...parts].join('.');
}

/** Opens a value sealed by `encryptSecret` with any key of the ring; pass the same `aad`. */
export function decryptSecret({
	keyring,
	sealed,
	aad
}: {
	keyring: Keyring;
	sealed: string;
	aad?: string;
}): string {
	const { kid, iv, tag, ciphertext } = parseSealed(sealed);
	const key = findKey(keyring, kid);
	if (!key) {
		throw new AppError(
			'UNAVAILABLE',
			`This secret was encrypted with key ${kid}, which is not configured; set the old key in SLIPWAY_ENCRYPTION_KEY_PREVIOUS.`
		);
	}
	assertKeyLength(key);
	// Node accepts truncated GCM tags unless told the length; a short tag would weaken the check.
	if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw damaged();
	const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
	decipher.setAuthTag(tag);
	if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
	try {
		return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
	} catch (cause) {
		throw new AppError('INVALID', damaged().message, { cause });
	}
}

/** True when a value was sealed with an older key and should be re-sealed with the current one. */
export function needsReencryption({ keyring, sealed }: { keyring: Keyring; sealed: string }) {
	return parseSealed(sealed).kid !== computeKeyId(keyring.current);
}

/**
 * Builds a keyring from the configuration strings: base64 keys, the previous ones separated by
 * commas (newest first, so the usual case finds its key at once).
 */
export function parseKeyring({ current, previous }: { current: string; previous?: string }) {
	const decode = (value: string, name: string) => {
		const key = Buffer.from(value.trim(), 'base64');
		if (key.length !== KEY_BYTES) {
			throw new AppError(
				'UNAVAILABLE',
				`${name} must be ${KEY_BYTES} bytes encoded as base64; generate one with \`openssl rand -base64 32\`.`
			);
		}
		return key;
	};
	const older = (previous ?? '')
		.split(',')
		.filter((value) => value.trim() !== '')
		.map((value) => decode(value, 'SLIPWAY_ENCRYPTION_KEY_PREVIOUS'));
	return { current: decode(current, 'SLIPWAY_ENCRYPTION_KEY'), previous: older } satisfies Keyring;
}
