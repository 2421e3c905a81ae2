import { describe, expect, it } from 'vitest';
import { stripAnsi } from './strip-ansi.ts';

describe('stripAnsi', () => {
	it('removes colors, cursor moves and titles but keeps the text', () => {
		expect(stripAnsi('\x1b[1;32m✓ built\x1b[0m in 2s')).toBe('✓ built in 2s');
		expect(stripAnsi('\x1b[2K\x1b[1Gprogress 50%')).toBe('progress 50%');
		expect(stripAnsi('\x1b]0;title\x07done\x1b(B')).toBe('done');
		expect(stripAnsi('\x1b[38;2;255;0;0mred\x1b[39m')).toBe('red');
	});

	it('drops stray control characters and keeps tabs and unicode', () => {
		expect(stripAnsi('a\x07b\x08c\td\uFFFDé')).toBe('abc\td\uFFFDé');
	});
});
