import { AppError } from '../errors.ts';

const MAX_LENGTH = 255;

function invalid(message: string): AppError {
	return new AppError('INVALID', message, { field: 'rootDirectory' });
}

/**
 * Normalises the folder of a monorepo that holds the app: '' is the repository root, otherwise a
 * relative path without './', '.' segments or slashes at either end ('./apps/web/' → 'apps/web').
 * The build context is cut from this path, so anything that could point outside the checkout is
 * refused.
 */
export function normalizeRootDirectory(input: string): string {
	const trimmed = input.trim();
	if (trimmed.includes('\0')) throw invalid('The root directory cannot contain NUL characters.');
	if (/[\p{Cc}]/u.test(trimmed)) {
		throw invalid('The root directory cannot contain control characters.');
	}
	if (trimmed.includes('\\')) {
		throw invalid('Use "/" to separate folders in the root directory (for example apps/web).');
	}
	if (trimmed.startsWith('/') || trimmed.startsWith('~') || /^[A-Za-z]:/.test(trimmed)) {
		throw invalid(
			'The root directory is relative to the repository: write apps/web, not an absolute path.'
		);
	}
	const segments = trimmed.split('/').filter((segment) => segment !== '' && segment !== '.');
	if (segments.includes('..')) {
		throw invalid('The root directory must stay inside the repository: remove the ".." parts.');
	}
	const normalized = segments.join('/');
	if (normalized.length > MAX_LENGTH) {
		throw invalid(`The root directory is at most ${MAX_LENGTH} characters.`);
	}
	return normalized;
}

/** A file inside the root directory (e.g. the Dockerfile path), under the same rules. */
export function normalizeFilePath(input: string, field = 'dockerfilePath'): string {
	try {
		const path = normalizeRootDirectory(input);
		if (path === '') throw invalid('Enter the path of the file, for example docker/Dockerfile.');
		return path;
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		throw new AppError('INVALID', error.message.replace('The root directory', 'The path'), {
			field
		});
	}
}
