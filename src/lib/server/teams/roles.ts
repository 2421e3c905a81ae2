export const TEAM_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

const rank: Record<TeamRole, number> = { owner: 4, admin: 3, member: 2, viewer: 1 };

export function hasRole(role: TeamRole, atLeast: TeamRole): boolean {
	return rank[role] >= rank[atLeast];
}
