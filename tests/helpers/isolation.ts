import { expect } from 'vitest';
import { appRouter } from '../../src/lib/server/trpc/router.ts';
import { codeOf } from './world.ts';

/** What an attacker in team A knows about team B: its slug and ids of its resources. */
export type Foreign = { teamSlug: string; teamId: string; ids: Record<string, string> };

/**
 * The team-isolation pattern. Every tRPC procedure must appear either in `scoped` (a call that
 * targets the foreign team's data, as an outsider would send it) or in `unscoped` (procedures
 * that take no team: the caller's own account). A procedure added later without a case here
 * fails `assertEveryProcedureCovered`, so nobody forgets the isolation test.
 */
export type Caller = ReturnType<typeof import('../../src/lib/server/trpc/router.ts').createCaller>;
export type IsolationCases = {
	scoped: Record<string, (caller: Caller, foreign: Foreign) => Promise<unknown>>;
	unscoped: string[];
};

export function allProcedurePaths(): string[] {
	return Object.keys(appRouter._def.procedures).sort();
}

export function assertEveryProcedureCovered(cases: IsolationCases): void {
	const covered = new Set([...Object.keys(cases.scoped), ...cases.unscoped]);
	const missing = allProcedurePaths().filter((p) => !covered.has(p));
	expect(
		missing,
		'procedures without an isolation case in tests/integration/isolation-cases.ts'
	).toEqual([]);
}

/** Runs every scoped case as an outsider and expects NOT_FOUND from each. */
export async function expectAllNotFound(
	caller: Caller,
	foreign: Foreign,
	cases: IsolationCases
): Promise<Record<string, string>> {
	const results: Record<string, string> = {};
	for (const [path, call] of Object.entries(cases.scoped)) {
		results[path] = await codeOf(call(caller, foreign));
	}
	const expected = Object.fromEntries(Object.keys(cases.scoped).map((p) => [p, 'NOT_FOUND']));
	expect(results).toEqual(expected);
	return results;
}
