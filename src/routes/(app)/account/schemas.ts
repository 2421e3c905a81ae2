import { z } from 'zod';

/** A session id is the SHA-256 (hex) of its cookie token. */
export const revokeSessionSchema = z.object({ sessionId: z.string().regex(/^[0-9a-f]{64}$/) });
