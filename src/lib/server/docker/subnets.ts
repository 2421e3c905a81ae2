/**
 * Address plans for project networks. Docker's default pools hold only ~30 bridge networks, so
 * with one network per project the 31st project could not start ("could not find an available,
 * non-overlapping IPv4 address pool"). Slipway hands out /24 subnets from its own pool instead
 * (SLIPWAY_NETWORK_POOL, default 10.213.0.0/16: 256 projects, 254 containers each).
 */
export const PROJECT_PREFIX = 24;

type Range = { start: number; end: number };

function parseIpv4(text: string): number | null {
	const parts = text.split('.');
	if (parts.length !== 4) return null;
	let value = 0;
	for (const part of parts) {
		if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
		value = value * 256 + Number(part);
	}
	return value;
}

function formatIpv4(value: number): string {
	return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** `10.213.0.0/16` → its first and last address; null for anything that is not IPv4 CIDR. */
export function parseCidr(cidr: string): Range | null {
	const [address, bits, extra] = cidr.trim().split('/');
	const base = parseIpv4(address ?? '');
	const prefix = Number(bits);
	if (base === null || extra !== undefined || !/^\d{1,2}$/.test(bits ?? '') || prefix > 32) {
		return null;
	}
	const size = 2 ** (32 - prefix);
	const start = base - (base % size);
	return { start, end: start + size - 1 };
}

/** The pool must hold at least one project subnet. */
export function isValidPool(cidr: string): boolean {
	const range = parseCidr(cidr);
	return range !== null && range.end - range.start + 1 >= 2 ** (32 - PROJECT_PREFIX);
}

/**
 * The first /24 of `pool` that overlaps none of `taken` (every subnet the Docker engine already
 * uses, ours and others'), or null when the pool is full.
 */
export function pickSubnet(pool: string, taken: string[]): string | null {
	const range = parseCidr(pool);
	if (!range) return null;
	const used = taken.map(parseCidr).filter((r): r is Range => r !== null);
	const size = 2 ** (32 - PROJECT_PREFIX);
	for (let start = range.start; start + size - 1 <= range.end; start += size) {
		const end = start + size - 1;
		if (!used.some((u) => u.start <= end && start <= u.end)) {
			return `${formatIpv4(start)}/${PROJECT_PREFIX}`;
		}
	}
	return null;
}
