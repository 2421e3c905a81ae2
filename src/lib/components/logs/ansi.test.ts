import { describe, expect, it } from 'vitest';
import { color256, parseAnsi } from './ansi.ts';

describe('parseAnsi', () => {
	it('leaves plain text as one unstyled segment, markup included', () => {
		expect(parseAnsi('<script>alert(1)</script> & "x"')).toEqual([
			{ text: '<script>alert(1)</script> & "x"', style: '' }
		]);
		expect(parseAnsi('')).toEqual([]);
	});

	it('turns SGR colors and attributes into styles and resets them', () => {
		expect(parseAnsi('\x1b[1;31mError:\x1b[0m boom')).toEqual([
			{ text: 'Error:', style: 'color:#f87171;font-weight:600' },
			{ text: ' boom', style: '' }
		]);
		expect(parseAnsi('\x1b[32mok\x1b[39m \x1b[4;3mu\x1b[24;23m!')).toEqual([
			{ text: 'ok', style: 'color:#4ade80' },
			{ text: ' ', style: '' },
			{ text: 'u', style: 'font-style:italic;text-decoration:underline' },
			{ text: '!', style: '' }
		]);
	});

	it('supports bright, background, 256 and true colors, and inverse', () => {
		expect(parseAnsi('\x1b[93;44mx')[0].style).toBe('color:#fde047;background-color:#60a5fa');
		expect(parseAnsi('\x1b[38;5;196mx')[0].style).toBe('color:rgb(255,0,0)');
		expect(parseAnsi('\x1b[48;5;240mx')[0].style).toBe('background-color:rgb(88,88,88)');
		expect(parseAnsi('\x1b[38;2;10;20;300mx')[0].style).toBe('color:rgb(10,20,255)');
		expect(parseAnsi('\x1b[7mx')[0].style).toBe('color:#18181b;background-color:#d4d4d8');
		expect(color256(999)).toBeUndefined();
	});

	it('drops cursor moves, titles, stray controls and unknown escapes', () => {
		expect(parseAnsi('\x1b[2K\x1b[1Gdone\x1b]0;title\x07\x07 \x1b(B\x08ok')).toEqual([
			{ text: 'done ok', style: '' }
		]);
		expect(parseAnsi('a\tb')[0].text).toBe('a\tb');
		expect(parseAnsi('broken \x1b[31')).toEqual([{ text: 'broken [31', style: '' }]);
	});

	it('shows what follows the last carriage return, like a terminal', () => {
		expect(parseAnsi('10%\r50%\r100%')).toEqual([{ text: '100%', style: '' }]);
		expect(parseAnsi('done\r')).toEqual([{ text: 'done', style: '' }]);
	});

	it('keeps binary and replacement characters as text without throwing', () => {
		const binary = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
		const out = parseAnsi(binary + '\uFFFD');
		expect(out.map((s) => s.text).join('')).toContain('\uFFFD');
	});
});
