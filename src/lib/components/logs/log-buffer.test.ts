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
