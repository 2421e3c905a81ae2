import { describe, expect, it } from 'vitest';
import { LogBuffer } from './log-buffer.svelte.ts';

const line = (id: number, stream = 'stdout') => ({ id, stream, line: `line ${id}`, at: '' });

describe('LogBuffer', () => {
	it('keeps lines in id order without the duplicates a resumed stream may repeat', () => {
		const buffer = new LogBuffer();
		buffer.append([line(1), line(2)]);
		buffer.append([line(2), line(3)]);
		expect(buffer.lines.map((l) => l.id)).toEqual([1, 2, 3]);
		expect(buffer.count).toBe(3);
		expect(buffer.version).toBe(2);
		buffer.append([line(3)]);
		expect(buffer.version).toBe(2);
	});

	it('filters by build, runtime (stdout and stderr) and platform', () => {
		const buffer = new LogBuffer();
		buffer.append([line(1, 'build'), line(2, 'stdout'), line(3, 'stderr'), line(4, 'platform')]);
		buffer.setShown('runtime', false);
		expect(buffer.lines.map((l) => l.id)).toEqual([1, 4]);
		buffer.append([line(5, 'stderr'), line(6, 'build')]);
		expect(buffer.lines.map((l) => l.id)).toEqual([1, 4, 6]);
		buffer.setShown('runtime', true);
		buffer.setShown('build', false);
		expect(buffer.lines.map((l) => l.id)).toEqual([2, 3, 4, 5]);
	});

	it('drops the oldest lines past its maximum and counts them', () => {
		const buffer = new LogBuffer(100);
		buffer.append(Array.from({ length: 150 }, (_, i) => line(i + 1)));
		expect(buffer.total).toBe(90);
		expect(buffer.dropped).toBe(60);
		expect(buffer.lines[0].id).toBe(61);
	});
});

describe('LogBuffer.prepend', () => {
	it('puts older lines in front in id order, skips ones it has, and says how many are shown', () => {
		const buffer = new LogBuffer();
		buffer.dropped = 4;
		buffer.append([line(5), line(6)]);
		expect(buffer.prepend([line(3, 'build'), line(4), line(5)])).toBe(2);
		expect(buffer.lines.map((l) => l.id)).toEqual([3, 4, 5, 6]);
		expect(buffer.dropped).toBe(2);
		buffer.setShown('build', false);
		expect(buffer.prepend([line(1, 'build'), line(2)])).toBe(1);
		expect(buffer.lines.map((l) => l.id)).toEqual([2, 4, 5, 6]);
		expect(buffer.total).toBe(6);
		expect(buffer.dropped).toBe(0);
		expect(buffer.prepend([line(1), line(2)])).toBe(0);
		buffer.append([line(7)]);
		expect(buffer.lines.map((l) => l.id)).toEqual([2, 4, 5, 6, 7]);
	});

	it('stops at its maximum, keeping the lines nearest to the ones it has', () => {
		const buffer = new LogBuffer(5);
		buffer.dropped = 10;
		buffer.append([line(11), line(12), line(13)]);
		expect(buffer.room).toBe(2);
		expect(buffer.prepend([line(8), line(9), line(10)])).toBe(2);
		expect(buffer.lines.map((l) => l.id)).toEqual([9, 10, 11, 12, 13]);
		expect(buffer.room).toBe(0);
		expect(buffer.capped).toBe(true);
		expect(buffer.prepend([line(7)])).toBe(0);
	});
});
