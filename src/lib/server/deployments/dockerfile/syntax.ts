import { AppError } from '../../errors.ts';

/**
 * An instruction in exec (JSON) form. Docker parses it with a JSON decoder, so any command text
 * (quotes, `#`, trailing backslashes, newlines) reaches `sh -c` unchanged, which the shell form
 * cannot promise; `$VAR` is left for the shell too.
 */
export function execForm(instruction: 'RUN' | 'CMD', args: readonly string[]): string {
	return `${instruction} [${args.map((a) => JSON.stringify(a)).join(', ')}]`;
}

/** `COPY` sources in JSON form, grouped by directory so nested paths keep their place. */
export function copyPreservingPaths(files: readonly string[], chown: string): string[] {
	const byDir = new Map<string, string[]>();
	for (const file of [...new Set(files)].sort()) {
		const slash = file.lastIndexOf('/');
		const dir = slash === -1 ? './' : `${file.slice(0, slash)}/`;
		byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
	}
	return [...byDir].map(
		([dir, sources]) =>
			`COPY --chown=${chown} [${[...sources, dir].map((s) => JSON.stringify(s)).join(', ')}]`
	);
}

// Docker treats * ? [ ] \ in COPY sources as patterns; a control character would end the line.
const UNSAFE_PATH = /[*?[\]\\\p{Cc}]/u;

/** A path relative to the root directory, as the build context sees it; throws when unsafe. */
export function validateContextPath(path: string, field: string): string {
	const segments = path.split('/');
	if (
		path === '' ||
		path.startsWith('/') ||
		UNSAFE_PATH.test(path) ||
		segments.some((s) => s === '' || s === '.' || s === '..')
	) {
		throw new AppError(
			'INVALID',
			`"${path}" is not a plain relative path inside the root directory (no "..", no leading "/", no * ? [ ] or \\).`,
			{ field }
		);
	}
	return path;
}

// registry[:port]/name[:tag][@digest], lower-case names: what `docker build` accepts in FROM.
const IMAGE_REF =
	/^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export function validateImageRef(ref: string, field: string): string {
	if (!IMAGE_REF.test(ref)) {
		throw new AppError(
			'INVALID',
			`"${ref}" is not an image reference like slipway/runner-node:1.`,
			{
				field
			}
		);
	}
	return ref;
}
