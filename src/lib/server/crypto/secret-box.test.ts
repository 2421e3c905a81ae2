import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import {
	computeKeyId,
	decryptSecret,
	encryptSecret,
	needsReencryption,
	parseKeyring
} from './secret-box.ts';

const oldKey = Buffer.alloc(32, 1);
const newKey = Buffer.alloc(32, 2);
const keyring = { current: newKey };

function catchError(fn: () => unknown): AppError {
	try {
		fn();
	} catch (e) {
		if (e instanceof AppError) return e;
		throw e;
	}
	throw new Error('expected an AppError');
}

describe('secret box', () => {
	it.each([
		['ascii', 'postgres://user:pass@db/app'],
		['unicode', 'pässwörd 🔑 日本語'],
		['empty', ''],
		['multi-line', '-----BEGIN KEY-----\nabc\n-----END KEY-----\n'],
		['64 KiB', 'x'.repeat(64 * 1024)]
	])('round-trips a %s value', (_name, plaintext) => {
		const sealed = encryptSecret({ keyring, plaintext });
		expect(decryptSecret({ keyring, sealed })).toBe(plaintext);
	});

	it('seals as v1.<kid>.<iv>.<tag>.<ciphertext> and never repeats an IV', () => {
		const a = encryptSecret({ keyring, plaintext: 'same' });
		const b = encryptSecret({ keyring, plaintext: 'same' });
		expect(a).not.toBe(b);
		const [version, kid, iv, tag] = a.split('.');
		expect(version).toBe('v1');
		expect(kid).toBe(computeKeyId(newKey));
		expect(kid).toMatch(/^[0-9a-f]{8}$/);
		expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
		expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
		expect(a).not.toContain('same');
	});

	it.each([
		[2, 'iv'],
		[3, 'tag'],
		[4, 'ciphertext']
	])('detects tampering with the %s part', (index) => {
		const parts = encryptSecret({ keyring, plaintext: 'top secret' }).split('.');
		const bytes = Buffer.from(parts[index], 'base64url');
		bytes[0] ^= 1;
		parts[index] = bytes.toString('base64url');
		const error = catchError(() => decryptSecret({ keyring, sealed: parts.join('.') }));
		expect(error.code).toBe('INVALID');
		expect(error.message).toMatch(/could not be decrypted.*Set the value again/);
	});

	it('detects a key id swapped for another configured key', () => {
		const ring = { current: newKey, previous: [oldKey] };
		const parts = encryptSecret({ keyring: ring, plaintext: 'top secret' }).split('.');
		parts[1] = computeKeyId(oldKey);
		expect(catchError(() => decryptSecret({ keyring: ring, sealed: parts.join('.') })).code).toBe(
			'INVALID'
		);
	});

	it('refuses a truncated tag, a wrong version and malformed values', () => {
		const sealed = encryptSecret({ keyring, plaintext: 'top secret' });
		const parts = sealed.split('.');
		const shortTag = Buffer.from(parts[3], 'base64url').subarray(0, 4).toString('base64url');
		for (const bad of [
			[parts[0], parts[1], parts[2], shortTag, parts[4]].join('.'),
			['v2', ...parts.slice(1)].join('.'),
			parts.slice(0, 4).join('.'),
			`${sealed}.extra`,
			'not sealed at all',
			''
		]) {
			expect(catchError(() => decryptSecret({ keyring, sealed: bad })).code).toBe('INVALID');
		}
	});

	it('binds a value to its additional data', () => {
		const sealed = encryptSecret({ keyring, plaintext: 'token', aad: 'env-var:1' });
		expect(decryptSecret({ keyring, sealed, aad: 'env-var:1' })).toBe('token');
		expect(catchError(() => decryptSecret({ keyring, sealed, aad: 'env-var:2' })).code).toBe(
			'INVALID'
		);
		expect(catchError(() => decryptSecret({ keyring, sealed })).code).toBe('INVALID');
	});

	it('names the missing key when a value was sealed with a key that is not configured', () => {
		const sealed = encryptSecret({ keyring: { current: oldKey }, plaintext: 'x' });
		const error = catchError(() => decryptSecret({ keyring, sealed }));
		expect(error.code).toBe('UNAVAILABLE');
		expect(error.message).toContain(`encrypted with key ${computeKeyId(oldKey)}, which is not`);
		expect(error.message).toContain('SLIPWAY_ENCRYPTION_KEY_PREVIOUS');
	});

	it('opens values sealed before a rotation and flags them for re-encryption', () => {
		const beforeRotation = encryptSecret({ keyring: { current: oldKey }, plaintext: 'kept' });
		const rotated = { current: newKey, previous: [randomBytes(32), oldKey] };
		expect(decryptSecret({ keyring: rotated, sealed: beforeRotation })).toBe('kept');
		expect(needsReencryption({ keyring: rotated, sealed: beforeRotation })).toBe(true);

		const resealed = encryptSecret({ keyring: rotated, plaintext: 'kept' });
		expect(needsReencryption({ keyring: rotated, sealed: resealed })).toBe(false);
		expect(decryptSecret({ keyring: { current: newKey }, sealed: resealed })).toBe('kept');
	});

	it('refuses keys that are not 32 bytes', () => {
		const error = catchError(() =>
			encryptSecret({ keyring: { current: Buffer.alloc(16) }, plaintext: 'x' })
		);
		expect(error.message).toContain('openssl rand -base64 32');
	});

	it('parses the configured keys, previous ones separated by commas', () => {
		const b64 = (key: Buffer) => key.toString('base64');
		const ring = parseKeyring({
			current: b64(newKey),
			previous: ` ${b64(oldKey)}, ${b64(Buffer.alloc(32, 3))} ,`
		});
		expect(ring.current.equals(newKey)).toBe(true);
		expect(ring.previous.map(computeKeyId)).toEqual([
			computeKeyId(oldKey),
			computeKeyId(Buffer.alloc(32, 3))
		]);
		expect(parseKeyring({ current: b64(newKey) }).previous).toEqual([]);
		expect(() => parseKeyring({ current: b64(newKey), previous: 'c2hvcnQ=' })).toThrow(
			/SLIPWAY_ENCRYPTION_KEY_PREVIOUS must be 32 bytes/
		);
	});
});
