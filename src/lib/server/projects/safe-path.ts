import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { AppError } from '../errors.ts';

/**
 * The root directory inside a checkout, refusing one that is (or passes through) a symbolic link
 * leading outside it: a repository must never make Slipway read or build the host's files.
 */
export async function resolveInsideCheckout(
	checkout: string,
	rootDirectory: string,
	where = 'in this commit'
): Promise<string> {
	const base = await realpath(checkout);
	const target = join(base, rootDirectory);
	const exists = await stat(target).then(
		(s) => s.isDirectory(),
		() => false
	);
	if (!exists) {
		throw new AppError(
			'INVALID',
			`The root directory ${rootDirectory || '/'} does not exist ${where}. Fix it in the project settings.`,
			{
				field: 'rootDirectory'
			}
		);
	}
	const real = await realpath(target);
	if (real !== base && !real.startsWith(base + sep)) {
		throw new AppError(
			'INVALID',
			`The root directory ${rootDirectory} is a symbolic link that leads outside the repository; Slipway does not follow it.`,
			{
				field: 'rootDirectory'
			}
		);
	}
	return real;
}
