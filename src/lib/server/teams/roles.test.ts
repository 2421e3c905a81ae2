import { describe, expect, it } from 'vitest';
import { hasRole, TEAM_ROLES } from './roles.ts';

describe('team roles', () => {
	it('orders owner > admin > member > viewer', () => {
		expect(TEAM_ROLES.filter((r) => hasRole(r, 'member'))).toEqual(['owner', 'admin', 'member']);
		expect(hasRole('viewer', 'viewer')).toBe(true);
		expect(hasRole('admin', 'owner')).toBe(false);
	});
});
