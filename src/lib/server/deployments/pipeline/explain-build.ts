import type { ImageBuildError } from '../../docker/build.ts';

// Docker's step bookkeeping and stack frames: they bury the line that says what broke.
const NOISE = [
	/^ ---> /,
	/^Removing intermediate container/,
	/^Step \d+\/\d+ :/,
	/^The command '/,
	/returned a non-zero code: \d+$/,
	/^\s+at /,
	/^\s*$/
];

// eslint-disable-next-line no-control-regex
const stripAnsi = (line: string) => line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

/** "The build failed: a build step exited with code 1" plus the lines that explain it. */
export function explainBuildFailure(error: ImageBuildError): string {
	const code = error.message.match(/returned a non-zero code: (\d+)/)?.[1];
	const lines = error.lastLines
		.map(stripAnsi)
		.filter((line) => !NOISE.some((pattern) => pattern.test(line)))
		.slice(-8);
	const head = code
		? `The build failed: a build step exited with code ${code}.`
		: `The build failed: ${error.message.split('\n')[0].trim()}`;
	return lines.length ? `${head}\nLast lines of the build log:\n${lines.join('\n')}` : head;
}
