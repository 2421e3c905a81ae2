import { AppError } from '../errors.ts';

/** POSIX shells and Docker accept these names; anything else cannot be read as `$NAME` by the app. */
export const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_ENV_KEY_LENGTH = 256;
export const MAX_ENV_VALUE_BYTES = 64 * 1024;

/** Why `key` cannot be an env var name, as a sentence for the user; null when it can. */
export function describeEnvKeyProblem(key: string): string | null {
	if (key === '') return 'Enter a name for the variable.';
	if (key.length > MAX_ENV_KEY_LENGTH) {
		return `Env var names are at most ${MAX_ENV_KEY_LENGTH} characters; shorten the name.`;
	}
	if (!ENV_KEY_PATTERN.test(key)) {
		return 'Env var names use letters, digits and underscores, and do not start with a digit.';
	}
	return null;
}

/** Why `value` cannot be an env var value; null when it can. Never quotes the value: it may be a secret. */
export function describeEnvValueProblem(value: string): string | null {
	// The kernel ends every environment string at the first NUL, so the app would see a cut value.
	if (value.includes('\0')) return 'Env var values cannot contain NUL characters.';
	if (Buffer.byteLength(value, 'utf8') > MAX_ENV_VALUE_BYTES) {
		return `Env var values are at most ${MAX_ENV_VALUE_BYTES / 1024} KiB; store larger data in a file or a service.`;
	}
	return null;
}

export function validateEnvKey(key: string): string {
	const problem = describeEnvKeyProblem(key);
	if (problem) throw new AppError('INVALID', problem, { field: 'key' });
	return key;
}

export function validateEnvValue(value: string): string {
	const problem = describeEnvValueProblem(value);
	if (problem) throw new AppError('INVALID', problem, { field: 'value' });
	return value;
}
