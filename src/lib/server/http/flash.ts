import type { Cookies } from '@sveltejs/kit';

/**
 * A one-shot notice carried across a redirect (the OAuth and manifest callbacks end in one):
 * the page after it shows the notice once and clears it.
 */
const FLASH_COOKIE = 'slipway_flash';

export type Flash = { tone: 'success' | 'error'; text: string };

export function setFlash(cookies: Cookies, url: URL, flash: Flash) {
	cookies.set(FLASH_COOKIE, JSON.stringify(flash), {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: 60
	});
}

export function takeFlash(cookies: Cookies, url: URL): Flash | null {
	const raw = cookies.get(FLASH_COOKIE);
	if (!raw) return null;
	cookies.delete(FLASH_COOKIE, { path: '/', secure: url.protocol === 'https:' });
	try {
		const value = JSON.parse(raw) as Flash;
		if ((value.tone === 'success' || value.tone === 'error') && typeof value.text === 'string') {
			return { tone: value.tone, text: value.text.slice(0, 500) };
		}
	} catch {
		// A mangled cookie is no notice.
	}
	return null;
}
