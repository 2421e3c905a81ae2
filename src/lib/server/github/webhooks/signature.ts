import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-Hub-Signature-256: sha256=<hex>` is an HMAC-SHA256 of the exact bytes GitHub sent, keyed
 * with the App's webhook secret. Computed over the raw bytes (not a decoded string, which could
 * differ from them) and compared in constant time.
 */
export function verifyWebhookSignature(args: {
	secret: string;
	body: Uint8Array;
	header: string | null;
}): boolean {
	const match = args.header?.match(/^sha256=([0-9a-f]{64})$/i);
	if (!match) return false;
	const expected = createHmac('sha256', args.secret).update(args.body).digest();
	return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}
