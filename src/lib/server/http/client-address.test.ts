import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config.ts';
import { clientAddress, isLoopback, isTrustedPeer, requestedHost } from './client-address.ts';

const loopback = ['127.0.0.1', '::1'];
const h = (headers: Record<string, string>) => new Headers(headers);

describe('clientAddress', () => {
	it('uses the right-most X-Forwarded-For entry when Caddy (a trusted peer) relayed the request', () => {
		const headers = h({ 'x-forwarded-for': '203.0.113.9' });
		expect(clientAddress({ peer: '127.0.0.1', headers, trustedProxies: loopback })).toBe(
			'203.0.113.9'
		);
		// Whatever the client wrote on the left proves nothing.
		const spoofed = h({ 'x-forwarded-for': '10.9.9.9, 198.51.100.7' });
		expect(clientAddress({ peer: '::1', headers: spoofed, trustedProxies: loopback })).toBe(
			'198.51.100.7'
		);
	});

	it('ignores forwarded headers from a peer that is not a trusted proxy', () => {
		const headers = h({ 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' });
		expect(clientAddress({ peer: '203.0.113.50', headers, trustedProxies: loopback })).toBe(
			'203.0.113.50'
		);
	});

	it('is the peer itself when a trusted peer sent no usable header', () => {
		expect(clientAddress({ peer: '127.0.0.1', headers: h({}), trustedProxies: loopback })).toBe(
			'127.0.0.1'
		);
		const junk = h({ 'x-forwarded-for': 'not-an-ip' });
		expect(clientAddress({ peer: '127.0.0.1', headers: junk, trustedProxies: loopback })).toBe(
			'127.0.0.1'
		);
	});

	it('treats IPv4-mapped IPv6 peers as IPv4 and accepts CIDR ranges', () => {
		const headers = h({ 'x-forwarded-for': '[2001:db8::1]' });
		expect(
			clientAddress({ peer: '::ffff:10.1.2.3', headers, trustedProxies: ['10.0.0.0/8'] })
		).toBe('2001:db8::1');
		expect(isTrustedPeer('::ffff:127.0.0.1', loopback)).toBe(true);
		expect(isTrustedPeer('10.1.2.3', loopback)).toBe(false);
		expect(isTrustedPeer('fd00::5', ['fd00::/8'])).toBe(true);
		expect(isTrustedPeer('garbage', loopback)).toBe(false);
	});

	it('trusts nobody with an empty list', () => {
		const headers = h({ 'x-forwarded-for': '203.0.113.9' });
		expect(clientAddress({ peer: '127.0.0.1', headers, trustedProxies: [] })).toBe('127.0.0.1');
	});
});

describe('requestedHost', () => {
	it('prefers X-Forwarded-Host from a trusted peer and drops the port', () => {
		const headers = h({ host: 'nope.localhost:8080', 'x-forwarded-host': 'Nope.Localhost:8080' });
		expect(requestedHost({ peer: '127.0.0.1', headers, trustedProxies: loopback })).toBe(
			'nope.localhost'
		);
	});

	it('falls back to Host, and ignores X-Forwarded-Host from anyone else', () => {
		const headers = h({ host: 'real.example.com', 'x-forwarded-host': 'fake.example.com' });
		expect(requestedHost({ peer: '203.0.113.1', headers, trustedProxies: loopback })).toBe(
			'real.example.com'
		);
		expect(
			requestedHost({
				peer: '127.0.0.1',
				headers: h({ host: '[::1]:3000' }),
				trustedProxies: loopback
			})
		).toBe('[::1]');
	});
});

describe('loopback and configuration', () => {
	it('recognises loopback peers', () => {
		expect(isLoopback('127.0.0.1')).toBe(true);
		expect(isLoopback('127.8.0.1')).toBe(true);
		expect(isLoopback('::1')).toBe(true);
		expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
		expect(isLoopback('10.0.0.1')).toBe(false);
	});

	const base = {
		DATABASE_URL: 'postgres://x@127.0.0.1/x',
		SLIPWAY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64')
	};

	it('parses SLIPWAY_TRUSTED_PROXIES with loopback as the default', () => {
		expect(parseConfig(base).SLIPWAY_TRUSTED_PROXIES).toEqual(['127.0.0.1', '::1']);
		expect(
			parseConfig({ ...base, SLIPWAY_TRUSTED_PROXIES: ' 10.0.0.5, fd00::/8 ,' })
				.SLIPWAY_TRUSTED_PROXIES
		).toEqual(['10.0.0.5', 'fd00::/8']);
		expect(parseConfig({ ...base, SLIPWAY_TRUSTED_PROXIES: '' }).SLIPWAY_TRUSTED_PROXIES).toEqual(
			[]
		);
		expect(() => parseConfig({ ...base, SLIPWAY_TRUSTED_PROXIES: 'caddy' })).toThrow(
			/SLIPWAY_TRUSTED_PROXIES "caddy" is not an IP address/
		);
		expect(() => parseConfig({ ...base, SLIPWAY_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow();
	});

	it('does not throw for a request whose client already went away (no peer address)', () => {
		expect(
			clientAddress({
				peer: undefined as unknown as string,
				headers: new Headers(),
				trustedProxies: ['127.0.0.1']
			})
		).toBe('');
	});
});
