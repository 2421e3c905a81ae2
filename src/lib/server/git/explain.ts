/**
 * Turns git's stderr into a sentence a user can act on. Unknown failures keep git's last line,
 * with anything that looks like credentials removed.
 */
export function explainGitFailure(args: { stderr: string; url: string; ref?: string }): string {
	const err = args.stderr;
	const where = redactUrl(args.url);
	if (/timed out/.test(err) || /Connection timed out|Operation timed out/i.test(err)) {
		return `Could not reach ${where} in time. Check that the host is up and reachable from this server.`;
	}
	if (
		/Could not resolve host|Name or service not known|Temporary failure in name resolution/i.test(
			err
		)
	) {
		return `The host of ${where} could not be found. Check the repository URL for typos.`;
	}
	if (/Connection refused|Failed to connect|No route to host|Network is unreachable/i.test(err)) {
		return `Could not connect to ${where}. Check that the host is up and reachable from this server.`;
	}
	if (/Permission denied \(publickey\)|Host key verification failed/i.test(err)) {
		return `The repository refused this project's deploy key. Add the deploy key shown in the project settings to ${where} (read access is enough).`;
	}
	if (
		/Repository not found|not found|does not appear to be a git repository|does not exist/i.test(
			err
		) &&
		!/couldn't find remote ref/i.test(err)
	) {
		return `No repository at ${where}. Check the URL; a private repository needs a deploy key or the GitHub App.`;
	}
	if (/Authentication failed|could not read Username|terminal prompts disabled/i.test(err)) {
		return `${where} asks for credentials. Use a public repository, the SSH URL with a deploy key, or the GitHub App.`;
	}
	if (/couldn't find remote ref|not our ref|unadvertised object/i.test(err)) {
		return args.ref
			? `${args.ref} does not exist in ${where}. Push it first, or check the branch name.`
			: `The requested branch or commit does not exist in ${where}.`;
	}
	if (/transport '?file'? not allowed|protocol '?file'? is not supported/i.test(err)) {
		return 'Local repositories are disabled; set SLIPWAY_ALLOW_LOCAL_GIT=1 to allow them.';
	}
	const last = err.trim().split('\n').filter(Boolean).at(-1) ?? 'unknown error';
	return `git failed for ${where}: ${redactUrl(last)}`;
}

/** user:password@ in URLs must never reach a log line or the UI. */
export function redactUrl(text: string): string {
	return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
}
