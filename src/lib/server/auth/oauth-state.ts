import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import { decryptSecret, encryptSecret, type Keyring } from '../crypto/secret-box.ts';

/**
 * The `state` of a round trip through GitHub (sign-in, connect, App manifest), kept in a short-
 * lived HttpOnly SameSite=Lax cookie and compared on the way back. The cookie is sealed with the
 * instance key, so what it carries (where to go next, which GitHub) cannot be forged or altered.
 */
const TTL_SECONDS = 15 * 60;

export type PendingRoundTrip<T> = { state: string; data: T };

function cookieName(name: string, url: URL) {
	// `__Host-` cookies cannot be set by a sibling subdomain (deployed apps live on subdomains).
	return url.protocol === 'https:' ? `__Host-${name}` : name;
}

export function startRoundTrip<T>(args: {
	cookies: Cookies;
	url: URL;
	keyring: Keyring;
	name: string;
	data: T;
}): string {
	const state = randomBytes(24).toString('base64url');
	const sealed = encryptSecret({
		keyring: args.keyring,
		plaintext: JSON.stringify({ state, data: args.data, at: Date.now() }),
		aad: `round-trip:${args.name}`
	});
	args.cookies.set(cookieName(args.name, args.url), sealed, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: args.url.protocol === 'https:',
		maxAge: TTL_SECONDS
	});
	return state;
}

/** The data stored by startRoundTrip when `state` matches; null (and the cookie cleared) otherwise. */
export function finishRoundTrip<T>(args: {
	cookies: Cookies;
	url: URL;
	keyring: Keyring;
	name: string;
	state: string | null;
}): T | null {
	const name = cookieName(args.name, args.url);
	const sealed = args.cookies.get(name);
	args.cookies.delete(name, { path: '/', secure: args.url.protocol === 'https:' });
	if (!sealed || !args.state) return null;
	let stored: { state: string; data: T; at: number };
	try {
		stored = JSON.parse(
			decryptSecret({ keyring: args.keyring, sealed, aad: `round-trip:${args.name}` })
		);
	} catch {
		return null;
	}
	const a = Buffer.from(stored.state);
	const b = Buffer.from(args.state);
	if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
	if (Date.now() - stored.at > TTL_SECONDS * 1000) return null;
	return stored.data;
}
