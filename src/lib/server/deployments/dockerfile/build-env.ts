import { AppError } from '../../errors.ts';
import { ENV_KEY_PATTERN } from '../../env-vars/keys.ts';

/**
 * Where the build-time env files sit in the build context, and where the build stage reads them.
 * `build-env` (the project's build-time vars) is copied before the install step, so it must only
 * change when those vars do; `deployment-env` (values that change with every deployment, such as
 * the commit SHA) is copied after it and seen by the build step only.
 */
export const BUILD_ENV_CONTEXT_PATH = '.slipway/build-env';
export const BUILD_ENV_IMAGE_PATH = '/slipway/build-env';
export const DEPLOYMENT_ENV_CONTEXT_PATH = '.slipway/deployment-env';
export const DEPLOYMENT_ENV_IMAGE_PATH = '/slipway/deployment-env';

/**
 * Build-time env vars as a file that `sh` can source (`set -a; . file; set +a`): one
 * `KEY='value'` line per variable, keys sorted so equal inputs give equal files (the build step
 * caches on the file's content). Single quotes keep every byte literal: no expansion, and
 * newlines survive. Never log the result: values may be secrets.
 */
export function serializeBuildEnv(vars: Readonly<Record<string, string>>): string {
	const keys = Object.keys(vars).sort();
	for (const key of keys) {
		if (!ENV_KEY_PATTERN.test(key)) {
			throw new AppError(
				'INVALID',
				`Build-time env var "${key}" is not a valid name: use letters, digits and underscores, not starting with a digit.`,
				{ field: 'buildEnv' }
			);
		}
		// The kernel ends an environment string at the first NUL; never quote the value (a secret).
		if (vars[key].includes('\0')) {
			throw new AppError('INVALID', `Build-time env var ${key} contains a NUL character.`, {
				field: 'buildEnv'
			});
		}
	}
	return keys.map((key) => `${key}=${quoteForSh(vars[key])}\n`).join('');
}

/** `'…'` with each `'` written as `'\''`: the one quoting POSIX sh never interprets. */
export function quoteForSh(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}
