/** Team roles as the browser sees them; the server enforces the same order on every procedure. */
export const ROLE_ORDER = ['viewer', 'member', 'admin', 'owner'] as const;
export type Role = (typeof ROLE_ORDER)[number];

export function roleAtLeast(role: string, min: Role): boolean {
	return ROLE_ORDER.indexOf(role as Role) >= ROLE_ORDER.indexOf(min);
}
