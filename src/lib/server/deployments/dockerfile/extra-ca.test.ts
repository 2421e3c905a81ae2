import { describe, expect, it } from 'vitest';
import { splitCaCertificates } from './extra-ca.ts';

const cert = (body: string, eol = '\n') =>
	`-----BEGIN CERTIFICATE-----${eol}${body}${eol}-----END CERTIFICATE-----`;

describe('splitCaCertificates', () => {
	it('writes each certificate of a bundle to its own file, dropping text around them', () => {
		const bundle = `# Corp proxy\n${cert('AAAA')}\n\nsubject=CN=Other\n${cert('BB\nCC')}\n`;
		expect(splitCaCertificates(bundle)).toEqual({
			'.slipway/extra-ca/extra-ca-1.crt': `${cert('AAAA')}\n`,
			'.slipway/extra-ca/extra-ca-2.crt': `${cert('BB\nCC')}\n`
		});
	});

	it('normalises Windows line endings', () => {
		expect(splitCaCertificates(cert('AAAA', '\r\n'))).toEqual({
			'.slipway/extra-ca/extra-ca-1.crt': `${cert('AAAA')}\n`
		});
	});

	it('pads the numbers so the files sort in bundle order', () => {
		const files = Object.keys(
			splitCaCertificates(Array.from({ length: 12 }, () => cert('AAAA')).join('\n'))
		);
		expect(files[0]).toBe('.slipway/extra-ca/extra-ca-01.crt');
		expect(files.at(-1)).toBe('.slipway/extra-ca/extra-ca-12.crt');
	});

	it('refuses text without a certificate, such as a private key pasted by mistake', () => {
		expect(() =>
			splitCaCertificates('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')
		).toThrow(/no PEM certificate/);
	});
});
