import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { validateEnvKey, validateEnvValue } from './keys.ts';

function errorOf(fn: () => unknown) {
	try {
		fn();
	} catch (e) {
		return e as AppError;
	}
	throw new Error('expected an error');
}

describe('env var names and values', () => {
	it.each(['DATABASE_URL', '_PRIVATE', 'a', 'port', 'X1', 'SLIPWAY_URL', 'PORT', 'A'.repeat(256)])(
		'accepts %s',
		(key) => {
			expect(validateEnvKey(key)).toBe(key);
		}
	);

	it.each(['1ABC', 'MY-KEY', 'MY KEY', 'KEY.NAME', 'KÉY', '', ' KEY', 'KEY=1', 'A'.repeat(257)])(
		'rejects %j with a message on the key field',
		(key) => {
			const error = errorOf(() => validateEnvKey(key));
			expect(error).toBeInstanceOf(AppError);
			expect(error).toMatchObject({ code: 'INVALID', field: 'key' });
		}
	);

	it('tells the user which characters a name may use', () => {
		expect(errorOf(() => validateEnvKey('9LIVES')).message).toBe(
			'Env var names use letters, digits and underscores, and do not start with a digit.'
		);
		expect(errorOf(() => validateEnvKey('A'.repeat(257))).message).toMatch(/at most 256/);
	});

	it('accepts values up to 64 KiB of UTF-8, and refuses NUL', () => {
		expect(validateEnvValue('x'.repeat(64 * 1024))).toHaveLength(64 * 1024);
		expect(validateEnvValue('')).toBe('');
		expect(errorOf(() => validateEnvValue('x'.repeat(64 * 1024 + 1)))).toMatchObject({
			field: 'value'
		});
		// 2 bytes each in UTF-8: counted in bytes, not characters
		expect(errorOf(() => validateEnvValue('é'.repeat(32 * 1024 + 1))).message).toMatch(/64 KiB/);
		expect(errorOf(() => validateEnvValue('a\0b')).message).toMatch(/NUL/);
	});

	it('never repeats a rejected value in the message', () => {
		const secret = 'sk_live_' + 'x'.repeat(70_000);
		expect(errorOf(() => validateEnvValue(secret)).message).not.toContain('sk_live_');
	});
});
