import { isIP } from 'node:net';
import { z } from 'zod';
import { isValidPool } from './docker/subnets.ts';

/**
 * Every environment variable Slipway reads, parsed once and shared by web and worker.
 * Secrets have no default: a missing one stops the process with a message naming it.
 * Keep this list in step with the configuration table in README.md.
 */
const schema = z.object({
	DATABASE_URL: z
		.string({ error: 'is required (e.g. postgres://slipway:secret@127.0.0.1:5432/slipway)' })
		.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
	REDIS_URL: z
		.string()
		.regex(/^rediss?:\/\//, 'must be a redis:// URL')
		.default('redis://127.0.0.1:6379'),
	SLIPWAY_ENCRYPTION_KEY: z
		.string({ error: 'is required (32 random bytes, base64: `openssl rand -base64 32`)' })
		.refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes encoded as base64'),
	SLIPWAY_ENCRYPTION_KEY_PREVIOUS: z
		.string()
		.optional()
		.refine(
			(v) => !v || v.split(',').every((k) => Buffer.from(k.trim(), 'base64').length === 32),
			'must be a comma-separated list of 32-byte base64 keys'
		),
	SLIPWAY_ALLOW_LOCAL_GIT: z
		.enum(['0', '1', 'true', 'false'], { error: 'must be 1 or 0' })
		.default('0')
		.transform((v) => v === '1' || v === 'true'),
	SLIPWAY_WORK_DIR: z.string().default('/tmp/slipway'),
	DOCKER_SOCKET: z.string().default('/var/run/docker.sock'),
	/** IPv4 range project networks get their /24 subnets from (docker/subnets.ts). */
	SLIPWAY_NETWORK_POOL: z
		.string()
		.default('10.213.0.0/16')
		.refine(isValidPool, 'must be an IPv4 range of /24 or larger, e.g. 10.213.0.0/16'),
	/** Address app containers publish their port on; Caddy proxies to it. */
	SLIPWAY_RUNTIME_BIND: z.string().default('127.0.0.1'),
	/** Apps are reached at `<project>.<domain>` and friends (product.md §5). */
	SLIPWAY_DEPLOY_DOMAIN: z
		.string()
		.regex(/^[a-z0-9.-]+$/i, 'must be a domain name such as apps.example.com')
		.default('localhost'),
	/** The dashboard's hostname; Caddy routes it to the web process (SLIPWAY_WEB_UPSTREAM). */
	APP_HOSTNAME: z
		.string()
		.regex(/^[a-z0-9.-]+$/i, 'must be a hostname such as slipway.example.com')
		.default('localhost')
		.transform((v) => v.toLowerCase()),
	/** local: plain HTTP on 127.0.0.1:SLIPWAY_PROXY_PORT; production: :80 + :443, automatic HTTPS. */
	SLIPWAY_PROXY_MODE: z.enum(['local', 'production']).default('local'),
	/** HTTP port Caddy listens on (default 8080 in local mode, 80 in production). */
	SLIPWAY_PROXY_PORT: z.coerce.number().int().min(1).max(65535).optional(),
	SLIPWAY_PROXY_HTTPS_PORT: z.coerce.number().int().min(1).max(65535).default(443),
	/** Caddy's admin API; only the worker talks to it. */
	CADDY_ADMIN_URL: z.url().default('http://127.0.0.1:2019'),
	/** Caddy's version decides a few config field names (../shared/caddy.md). */
	CADDY_VERSION: z
		.string()
		.regex(/^\d+\.\d+/, 'must be a version such as 2.10')
		.default('2.10'),
	/** acme: certificates from Let's Encrypt/ZeroSSL; internal: Caddy's own CA (tests, intranets). */
	SLIPWAY_TLS_ISSUER: z.enum(['acme', 'internal']).default('acme'),
	SLIPWAY_ACME_EMAIL: z.email().optional(),
	/** host:port Caddy sends dashboard traffic to. */
	SLIPWAY_WEB_UPSTREAM: z.string().default('127.0.0.1:3000'),
	/**
	 * Peers (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For the web server
	 * believes: Caddy's address. Anyone else's forwarded headers are ignored, so a client cannot
	 * pick the address its rate limits count against (src/lib/server/http/client-address.ts).
	 */
	SLIPWAY_TRUSTED_PROXIES: z
		.string()
		.default('127.0.0.1,::1')
		.transform((v, ctx) => {
			const list = v
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean);
			for (const entry of list) {
				if (!isAddressOrRange(entry)) {
					ctx.addIssue({
						code: 'custom',
						message: `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.5 or 10.0.0.0/8)`
					});
				}
			}
			return list;
		}),
	HEALTH_CHECK_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
	ORIGIN: z.url({ error: 'must be a URL such as https://slipway.example.com' }).optional(),
	LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
	SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
	WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
	RATE_LIMIT_LOGIN_PER_15_MIN: z.coerce.number().int().min(1).default(10),
	RATE_LIMIT_SIGNUP_PER_HOUR: z.coerce.number().int().min(1).default(5)
});

export type Config = z.infer<typeof schema>;

function isAddressOrRange(entry: string) {
	const [address, bits, extra] = entry.split('/');
	const family = isIP(address);
	if (!family || extra !== undefined) return false;
	if (bits === undefined) return true;
	const n = Number(bits);
	return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>): Config {
	const result = schema.safeParse(env);
	if (result.success) return result.data;
	const lines = result.error.issues.map((i) => `  ${i.path.join('.')} ${i.message}`);
	throw new ConfigError(
		`Invalid configuration: fix these environment variables (see README.md, "Configuration"):\n${lines.join('\n')}`
	);
}

let cached: Config | undefined;

/** The process configuration; parsed on first use so that importing this module does no work. */
export function config(): Config {
	cached ??= parseConfig(process.env);
	return cached;
}
