import { AppError } from '../../errors.ts';

/**
 * An instruction in exec (JSON) form. Docker parses it with a JSON decoder, so any command text
 * (quotes, `#`, trailing backslashes, newlines) reaches `sh -c` unchanged, which the shell form
 * cannot promise; `$VAR` is left for the shell too.
 */
export function execForm(instruction: 'RUN' | 'CMD', args: readonly string[]): string {
	return `${instruction} [${args.map((a) => JSON.stringify(a)).join(', ')}]`;
}

const SHELL_KEYWORDS = new Set(
	'exec if then else elif fi case esac for select while until do done function time { } ! [[ ]]'.split(
		' '
	)
);

/**
 * `exec <command>` when the command is one plain command line (words, quotes, $VAR), so the app
 * replaces the shell and receives `docker stop`'s SIGTERM itself: dash, unlike bash, does not exec
 * the last command of `sh -c` on its own, and a shell killed by SIGTERM takes the container down
 * before the app has drained. Lists, pipes, redirections, leading assignments and keywords are
 * left as they are (write `… && exec server` to get the same effect).
 */
export function execIfSimple(command: string): string {
	const trimmed = command.trim();
	const firstWord = trimmed.split(/\s+/)[0];
	const compound = /[;&|<>()`\n\\]|\$\(/.test(trimmed);
	const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/.test(firstWord);
	return compound || assignment || SHELL_KEYWORDS.has(firstWord) ? command : `exec ${trimmed}`;
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
