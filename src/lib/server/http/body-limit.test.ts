import { describe, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT, exceedsBodyLimit } from './body-limit.ts';

const post = (path: string, length: number) =>
	[
		new Request(`http://x${path}`, {
			method: 'POST',
			headers: { 'content-length': String(length) }
		}),
		new URL(`http://x${path}`)
	] as const;

describe('exceedsBodyLimit', () => {
	it('keeps the 512 KiB cap everywhere but the GitHub webhook', () => {
		expect(exceedsBodyLimit(...post('/api/trpc/envVars.import', DEFAULT_BODY_LIMIT))).toBe(false);
		expect(exceedsBodyLimit(...post('/api/trpc/envVars.import', DEFAULT_BODY_LIMIT + 1))).toBe(
			true
		);
		expect(exceedsBodyLimit(...post('/login', 5_000_000))).toBe(true);
		expect(exceedsBodyLimit(...post('/api/webhooks/github', 20_000_000))).toBe(false);
	});
});
