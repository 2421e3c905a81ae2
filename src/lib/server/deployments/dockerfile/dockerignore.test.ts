import { describe, expect, it } from 'vitest';
import { generateDockerignore } from './dockerignore.ts';

describe('generateDockerignore', () => {
	it('keeps history, dependencies and env files out of the build context', () => {
		const lines = generateDockerignore().split('\n');
		for (const rule of ['.git', '**/node_modules', '**/.env*', '**/.venv']) {
			expect(lines).toContain(rule);
		}
	});

	it("keeps the repository's rules, but never lets them hide Slipway's files", () => {
		const lines = generateDockerignore('*\r\n!src\n').split('\n');
		expect(lines).toContain('*');
		expect(lines).toContain('!src');
		expect(lines.slice(-3, -1)).toEqual(['!.slipway', '!.slipway/**']);
		expect(lines.indexOf('!.slipway')).toBeGreaterThan(lines.indexOf('*'));
	});
});
