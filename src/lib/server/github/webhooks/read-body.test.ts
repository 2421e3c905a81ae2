import { describe, expect, it } from 'vitest';
import { BodyTooLarge, readBodyCapped } from './read-body.ts';

/** A request whose body arrives in chunks without a Content-Length (chunked transfer). */
function chunked(chunks: number[], onPull?: () => void) {
	let i = 0;
	const body = new ReadableStream<Uint8Array>(
		{
			pull(controller) {
				onPull?.();
				if (i < chunks.length) controller.enqueue(new Uint8Array(chunks[i++]).fill(120));
				else controller.close();
			}
		},
		{ highWaterMark: 0 }
	);
	return new Request('http://x/', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

describe('readBodyCapped', () => {
	it('returns the exact bytes of a body under the cap', async () => {
		const body = await readBodyCapped(new Request('http://x/', { method: 'POST', body: 'héllo' }));
		expect(new TextDecoder().decode(body)).toBe('héllo');
	});

	it('refuses a declared Content-Length above the cap without reading', async () => {
		let pulls = 0;
		const request = chunked([10], () => pulls++);
		request.headers.set('content-length', '101');
		await expect(readBodyCapped(request, 100)).rejects.toBeInstanceOf(BodyTooLarge);
		expect(pulls).toBe(0);
	});

	it('stops reading a chunked body as soon as it passes the cap', async () => {
		let pulls = 0;
		await expect(
			readBodyCapped(
				chunked([60, 60, 60, 60], () => pulls++),
				100
			)
		).rejects.toBeInstanceOf(BodyTooLarge);
		expect(pulls).toBeLessThanOrEqual(3);
		expect(await readBodyCapped(chunked([50, 50]), 100)).toHaveLength(100);
	});
});
