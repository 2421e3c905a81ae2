import { describe, expect, it } from 'vitest';
import { assertSignupAllowed, isAllowlisted } from './signup-policy.ts';

describe('sign-up policy', () => {
	it('matches addresses, domains and patterns, case-insensitively', () => {
		const list = ['ada@example.com', '@corp.dev', '*.team@*.org'];
		expect(isAllowlisted('ADA@example.com', list)).toBe(true);
		expect(isAllowlisted('bob@corp.dev', list)).toBe(true);
		expect(isAllowlisted('bob@notcorp.dev', list)).toBe(false);
		expect(isAllowlisted('ops.team@acme.org', list)).toBe(true);
		expect(isAllowlisted('ops@acme.org', list)).toBe(false);
	});

	it('lets the first user in whatever the mode, and refuses others with a reason', () => {
		const base = { allowlist: [], email: 'x@y.z' };
		expect(() =>
			assertSignupAllowed({ ...base, mode: 'invite_only', isFirstUser: true })
		).not.toThrow();
		expect(() => assertSignupAllowed({ ...base, mode: 'invite_only', isFirstUser: false })).toThrow(
			/invitation only/
		);
		expect(() => assertSignupAllowed({ ...base, mode: 'allowlist', isFirstUser: false })).toThrow(
			/may not sign up/
		);
	});
});
