import { describe, expect, it } from 'vitest';
import { LogBuffer, type LogLine } from './log-buffer.svelte.ts';
import { OlderLines } from './older-lines.svelte.ts';

const line = (id: number) => ({ id, stream: 'build', line: `line ${id}`, at: '' });
/** A stored log from id 1, read like `deployments.logsBefore`. */
const stored = () => {
	const calls: [number, number][] = [];
	const fetch = async (beforeId: number, limit: number): Promise<LogLine[]> => {
		calls.push([beforeId, limit]);
		const from = Math.max(1, beforeId - limit);
		return Array.from({ length: beforeId - from }, (_, i) => line(from + i));
	};
	return { calls, fetch };
};

describe('OlderLines', () => {
	it('pages back before the oldest line until the beginning of the log', async () => {
		const buffer = new LogBuffer();
		buffer.dropped = 45;
		buffer.append(Array.from({ length: 5 }, (_, i) => line(46 + i)));
		const log = stored();
		const older = new OlderLines({ buffer, fetch: log.fetch, page: 20 });
		expect(older.state).toBe('more');
		expect(await older.load()).toBe(20);
		expect(await older.load()).toBe(20);
		expect(older.state).toBe('more');
		expect(await older.load()).toBe(5);
		expect(older.state).toBe('start');
		expect(await older.load()).toBe(0);
		expect(log.calls).toEqual([
			[46, 20],
			[26, 20],
			[6, 20]
		]);
		expect(buffer.lines.map((l) => l.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
	});

	it('says when the maximum held is reached, and offers a retry after a failure', async () => {
		const buffer = new LogBuffer(10);
		buffer.dropped = 95;
		buffer.append(Array.from({ length: 5 }, (_, i) => line(96 + i)));
		let fail = true;
		const log = stored();
		const older = new OlderLines({
			buffer,
			fetch: (b, l) => (fail ? Promise.reject(new Error('offline')) : log.fetch(b, l)),
			page: 20
		});
		expect(await older.load()).toBe(0);
		expect(older.state).toBe('error');
		fail = false;
		expect(await older.load()).toBe(5);
		expect(log.calls).toEqual([[96, 5]]);
		expect(older.state).toBe('capped');
		expect(buffer.lines[0].id).toBe(91);
	});
});
