import { expect } from 'vitest';
import type { BuildFilesInput } from './generate-build-files.ts';
import { runnerImageFor } from './runner-images.ts';

/** Shared by the generate-build-files tests. */
export const CERT = (body: string) =>
	`-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;

export const node: BuildFilesInput = {
	preset: 'node',
	installCommand: 'npm ci',
	buildCommand: 'npm run build',
	startCommand: 'npm start',
	installFiles: ['package.json', 'package-lock.json'],
	runnerImage: runnerImageFor('node')
};

/** The Dockerfile's instructions, one string each; the build stage and the final stage apart. */
export function stages(dockerfile: string) {
	const lines = dockerfile.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
	const final = lines.findLastIndex((l) => l.startsWith('FROM '));
	return { all: lines, build: lines.slice(0, final), final: lines.slice(final) };
}

/** The `sh -c` script of an exec-form RUN/CMD line. */
export function script(line: string): string {
	const args: string[] = JSON.parse(line.slice(line.indexOf('[')));
	expect(args.slice(0, 2)).toEqual(['/bin/sh', '-c']);
	return args[2];
}
