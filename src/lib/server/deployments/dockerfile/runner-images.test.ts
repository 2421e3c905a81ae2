import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILD_PRESETS, runnerImageFor } from './runner-images.ts';

// The generated Dockerfiles rely on this contract of every runner image instead of repeating it.
describe.each(BUILD_PRESETS)('runner-images/%s/Dockerfile', (preset) => {
	const dockerfile = readFileSync(`runner-images/${preset}/Dockerfile`, 'utf8');
	const instructions = dockerfile
		.replace(/\\\n/g, ' ')
		.split('\n')
		.filter((l) => l.trim() !== '' && !l.startsWith('#'));

	it('builds FROM an official image by default and a local base through ARG BASE', () => {
		expect(instructions[0]).toMatch(/^ARG BASE=[a-z]+:[\w.-]+$/);
		expect(instructions[1]).toBe('FROM ${BASE}');
	});

	it('runs as the app user (uid/gid 10001) in /app, on PORT 8000 on all interfaces', () => {
		expect(dockerfile).toMatch(/groupadd --gid 10001 app/);
		expect(dockerfile).toMatch(/useradd --uid 10001 --gid 10001 /);
		expect(instructions).toContain('WORKDIR /app');
		expect(instructions.findLast((l) => l.startsWith('USER '))).toBe('USER app');
		const env = instructions.filter((l) => l.startsWith('ENV ')).join(' ');
		expect(env).toMatch(/\bPORT=8000\b/);
		expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
	});

	it('has a README stating the contract', () => {
		const readme = readFileSync(`runner-images/${preset}/README.md`, 'utf8');
		expect(readme).toContain(runnerImageFor(preset));
		expect(readme).toMatch(/10001/);
		expect(readme).toMatch(/\$PORT/);
	});
});
