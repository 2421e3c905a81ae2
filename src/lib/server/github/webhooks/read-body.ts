/** GitHub caps webhook payloads at 25 MB; a bigger body is not from GitHub. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export class BodyTooLarge extends Error {
	constructor(limit: number) {
		super(`The body is larger than ${limit} bytes.`);
		this.name = 'BodyTooLarge';
	}
}

/**
 * Reads a request body into memory, but never more than `limit` bytes: a declared
 * Content-Length above it is refused before reading, a chunked body as soon as it passes it.
 * The rest is left unread (Node discards it after the response), never buffered. A stream that
 * errors (adapter-node's own BODY_SIZE_LIMIT, a client gone away) counts as too large when that
 * is what it says, and is rethrown otherwise.
 */
export async function readBodyCapped(request: Request, limit = MAX_WEBHOOK_BYTES) {
	const declared = Number(request.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge(limit);
	if (!request.body) return new Uint8Array(0);
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > limit) throw new BodyTooLarge(limit);
			chunks.push(value);
		}
	} catch (error) {
		if ((error as { status?: number }).status === 413) throw new BodyTooLarge(limit);
		throw error;
	} finally {
		reader.releaseLock();
	}
	const body = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		body.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return body;
}
