import { isIP } from 'node:net';

/**
 * Whether GitHub (or any outside service) could reach this host: not `localhost`, `*.localhost`,
 * a loopback, private or link-local address. A name is taken as public (DNS is not asked).
 */
export function isReachableFromOutside(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost')) return false;
	const family = isIP(host);
	if (family === 4) {
		const [a, b] = host.split('.').map(Number);
		return !(
			a === 10 ||
			a === 127 ||
			(a === 172 && b >= 16 && b <= 31) ||
			(a === 192 && b === 168) ||
			(a === 169 && b === 254) ||
			a === 0
		);
	}
	if (family === 6) return !(host === '::1' || /^f[cd]/.test(host) || host.startsWith('fe80'));
	return true;
}
