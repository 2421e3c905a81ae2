import { describe, expect, it } from 'vitest';
import { planImageRetention } from './retire.ts';
import type { DeploymentState } from './state-machine.ts';

const row = (id: string, state: DeploymentState = 'ready') => ({ id, image: `img:${id}`, state });

describe('image retention', () => {
	it('keeps the newest N and removes the rest', () => {
		const rows = ['e', 'd', 'c', 'b', 'a'].map((id) => row(id));
		const plan = planImageRetention(rows, new Set(), 2);
		expect(plan.kept.map((r) => r.id)).toEqual(['e', 'd']);
		expect(plan.removable.map((r) => r.id)).toEqual(['c', 'b', 'a']);
	});

	it('never removes what an alias points at, however old', () => {
		const rows = ['e', 'd', 'c', 'b', 'a'].map((id) => row(id));
		const plan = planImageRetention(rows, new Set(['a']), 2);
		expect(plan.kept.map((r) => r.id)).toEqual(['e', 'd', 'a']);
	});

	it('never removes the image of a deployment still in progress', () => {
		const rows = [row('c'), row('b'), row('a', 'starting')];
		expect(planImageRetention(rows, new Set(), 1).removable.map((r) => r.id)).toEqual(['b']);
	});

	it('with a retention of 0 keeps only what is referenced', () => {
		const rows = [row('b'), row('a')];
		expect(planImageRetention(rows, new Set(['b']), 0).removable.map((r) => r.id)).toEqual(['a']);
	});
});
