import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from './signature.ts';

const secret = "It's a Secret to Everybody";
const encode = (text: string) => new TextEncoder().encode(text);

describe('verifyWebhookSignature', () => {
	it("accepts GitHub's documented example", () => {
		// docs.github.com "Validating webhook deliveries": secret, payload and expected signature.
		expect(
			verifyWebhookSignature({
				secret,
				body: encode('Hello, World!'),
				header: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'
			})
		).toBe(true);
	});

	it('accepts what @octokit/webhooks-methods signs, over the raw bytes', async () => {
		const body = '{"zen":"Non-blocking is better than blocking. ☕"}';
		expect(
			verifyWebhookSignature({ secret, body: encode(body), header: await sign(secret, body) })
		).toBe(true);
	});

	it('refuses a missing, malformed, wrong-secret or tampered signature', async () => {
		const body = encode('{"a":1}');
		const good = await sign(secret, '{"a":1}');
		for (const header of [null, '', 'sha1=abc', 'sha256=zz', good.slice(0, -2)]) {
			expect(verifyWebhookSignature({ secret, body, header })).toBe(false);
		}
		expect(verifyWebhookSignature({ secret: 'other', body, header: good })).toBe(false);
		expect(verifyWebhookSignature({ secret, body: encode('{"a":2}'), header: good })).toBe(false);
	});
});
