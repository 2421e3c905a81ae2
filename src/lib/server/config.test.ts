import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';

const key = Buffer.alloc(32, 1).toString('base64');
const valid = { DATABASE_URL: 'postgres://u@127.0.0.1/db', SLIPWAY_ENCRYPTION_KEY: key };

describe('config', () => {
	it('fills defaults for everything but secrets', () => {
		const cfg = parseConfig(valid);
		expect(cfg.REDIS_URL).toBe('redis://127.0.0.1:6379');
		expect(cfg.SESSION_TTL_DAYS).toBe(30);
		expect(cfg.WORKER_CONCURRENCY).toBe(4);
	});

	it('names every missing or invalid variable and says how to fix it', () => {
		expect(() => parseConfig({})).toThrow(
			/DATABASE_URL is required[\s\S]*SLIPWAY_ENCRYPTION_KEY is required/
		);
		expect(() => parseConfig({ ...valid, SLIPWAY_ENCRYPTION_KEY: 'short' })).toThrow(
			/SLIPWAY_ENCRYPTION_KEY must be 32 bytes encoded as base64/
		);
		expect(() => parseConfig({ ...valid, SESSION_TTL_DAYS: 'forever' })).toThrow(
			/SESSION_TTL_DAYS/
		);
		expect(() => parseConfig({ ...valid, REDIS_URL: 'localhost:6379' })).toThrow(
			/REDIS_URL must be a redis:\/\/ URL/
		);
	});
});
