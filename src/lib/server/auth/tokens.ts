import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** 160 bits from the CSPRNG, base32: the secret handed to the client. */
export function generateToken(prefix = ''): string {
	const bytes = crypto.getRandomValues(new Uint8Array(20));
	return prefix + encodeBase32LowerCaseNoPadding(bytes);
}

/** What we store instead of the token: a database leak reveals no usable credential. */
export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
