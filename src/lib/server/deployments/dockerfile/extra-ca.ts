import { AppError } from '../../errors.ts';

/** Where the extra CA certificates sit in the build context (one file per certificate). */
export const EXTRA_CA_CONTEXT_DIR = '.slipway/extra-ca';

/** The system bundle that update-ca-certificates writes (Debian), which every tool is pointed at. */
export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * Variables that make tools read the system bundle instead of their own: Node (which otherwise
 * trusts only its bundled CAs), OpenSSL-based tools, Python requests, pip and git.
 */
export const CA_ENV_VARS = [
	'NODE_EXTRA_CA_CERTS',
	'SSL_CERT_FILE',
	'REQUESTS_CA_BUNDLE',
	'PIP_CERT',
	'GIT_SSL_CAINFO'
] as const;

const PEM_CERTIFICATE =
	/-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END CERTIFICATE-----/g;

/**
 * Splits a PEM bundle (an instance setting; e.g. the host's whole ca-certificates.crt) into one
 * context file per certificate: update-ca-certificates adds each `.crt` file to the system bundle,
 * and OpenSSL's hashed directory expects exactly one certificate per file. Text outside the
 * certificates (comments, labels) is dropped.
 */
export function splitCaCertificates(pem: string): Record<string, string> {
	const certificates = (pem.match(PEM_CERTIFICATE) ?? []).map(
		(cert) => cert.replaceAll('\r\n', '\n') + '\n'
	);
	if (certificates.length === 0) {
		throw new AppError(
			'INVALID',
			'The extra CA certificates contain no PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).',
			{ field: 'extraCaPem' }
		);
	}
	const width = String(certificates.length).length;
	return Object.fromEntries(
		certificates.map((cert, i) => [
			`${EXTRA_CA_CONTEXT_DIR}/extra-ca-${String(i + 1).padStart(width, '0')}.crt`,
			cert
		])
	);
}
