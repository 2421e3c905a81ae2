import { BlockList, isIP } from 'node:net';

/**
 * The web server sits behind Caddy, so the socket peer of most requests is Caddy itself. Caddy
 * replaces any X-Forwarded-For a client sends with the address it saw (../shared/caddy.md), so
 * the header is believed only when the peer is a trusted proxy (SLIPWAY_TRUSTED_PROXIES); from
 * anyone else it is ignored, or a client could choose the address its rate limits count against.
 *
 * adapter-node's ADDRESS_HEADER must stay unset: then `event.getClientAddress()` is the socket
 * peer, which is what this module needs to know who relayed the request.
 */

const lists = new Map<string, BlockList>();

function trustList(trusted: readonly string[]): BlockList {
	const key = trusted.join(',');
	let list = lists.get(key);
	if (!list) {
		list = new BlockList();
		for (const entry of trusted) {
			const [address, bits] = entry.split('/');
			const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
			if (bits === undefined) list.addAddress(address, type);
			else list.addSubnet(address, Number(bits), type);
		}
		lists.set(key, list);
	}
	return list;
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) → `127.0.0.1`; brackets and zones off. */
export function normalizeAddress(address: string | undefined): string {
	// Node leaves the peer address undefined once the client has gone (an aborted request).
	let a = (address ?? '').trim().replace(/^\[(.*)\]$/, '$1');
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
	if (mapped) a = mapped[1];
	return a.toLowerCase();
}

/** Whether `peer` is one of the trusted proxies (addresses or CIDR ranges). */
export function isTrustedPeer(peer: string, trusted: readonly string[]): boolean {
	const address = normalizeAddress(peer);
	const family = isIP(address);
	if (!family) return false;
	return trustList(trusted).check(address, family === 6 ? 'ipv6' : 'ipv4');
}

export function isLoopback(peer: string): boolean {
	const address = normalizeAddress(peer);
	return address === '::1' || (isIP(address) === 4 && address.startsWith('127.'));
}

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy, in which case the
 * right-most X-Forwarded-For entry (the one that proxy added; anything left of it came from the
 * client and proves nothing). A trusted peer that sent no usable header is the client itself.
 */
export function clientAddress(args: {
	peer: string;
	headers: Headers;
	trustedProxies: readonly string[];
}): string {
	const peer = normalizeAddress(args.peer);
	if (!isTrustedPeer(peer, args.trustedProxies)) return peer;
	const forwarded = args.headers.get('x-forwarded-for');
	const last = forwarded?.split(',').at(-1)?.trim();
	if (!last) return peer;
	const address = normalizeAddress(last);
	return isIP(address) ? address : peer;
}

/**
 * The host the visitor asked for: X-Forwarded-Host from a trusted proxy (Caddy keeps the
 * original Host too, but says so explicitly), otherwise the Host header; without the port.
 */
export function requestedHost(args: {
	peer: string;
	headers: Headers;
	trustedProxies: readonly string[];
}): string {
	const forwarded = isTrustedPeer(args.peer, args.trustedProxies)
		? args.headers.get('x-forwarded-host')?.split(',').at(-1)?.trim()
		: undefined;
	const raw = forwarded || args.headers.get('host') || '';
	return stripPort(raw).toLowerCase();
}

function stripPort(host: string): string {
	if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1) || host;
	const colon = host.lastIndexOf(':');
	return colon === -1 || host.indexOf(':') !== colon ? host : host.slice(0, colon);
}

/** The three call sites pass the SvelteKit event; this keeps them to one line. */
export function eventClientAddress(
	event: { getClientAddress: () => string; request: Request },
	trustedProxies: readonly string[]
): string {
	return clientAddress({
		peer: event.getClientAddress(),
		headers: event.request.headers,
		trustedProxies
	});
}
