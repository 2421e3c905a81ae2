import { describe, expect, it } from 'vitest';
import { applyDeploymentChange, rowFromSummary, type DeploymentRowData } from './live-list';

const row = (id: string, minute: number, extra: Partial<DeploymentRowData> = {}) => ({
	id,
	environmentId: null,
	branch: 'main',
	commitSha: null,
	commitMessage: null,
	trigger: 'push',
	state: 'queued',
	failureReason: null,
	createdAt: new Date(Date.UTC(2026, 0, 1, 12, minute)),
	readyAt: null,
	finishedAt: null,
	...extra
});

describe('applyDeploymentChange', () => {
	const list = [row('c', 30), row('b', 20), row('a', 10)];

	it('updates a known deployment in place', () => {
		const next = applyDeploymentChange(list, row('b', 20, { state: 'ready' }));
		expect(next.map((d) => [d.id, d.state])).toEqual([
			['c', 'queued'],
			['b', 'ready'],
			['a', 'queued']
		]);
	});

	it('puts a new deployment in by creation time', () => {
		expect(applyDeploymentChange(list, row('d', 40)).map((d) => d.id)).toEqual([
			'd',
			'c',
			'b',
			'a'
		]);
		expect(applyDeploymentChange(list, row('e', 15)).map((d) => d.id)).toEqual([
			'c',
			'b',
			'e',
			'a'
		]);
	});

	it('keeps a limited list at its limit and ignores older ones beyond it', () => {
		expect(applyDeploymentChange(list, row('d', 40), { limit: 3 }).map((d) => d.id)).toEqual([
			'd',
			'c',
			'b'
		]);
		expect(applyDeploymentChange(list, row('z', 1), { limit: 3 })).toBe(list);
	});

	it('respects the filter: new ones must match, changed ones that stop matching leave', () => {
		const filter = { states: ['queued'] };
		expect(applyDeploymentChange(list, row('d', 40, { state: 'ready' }), { filter })).toBe(list);
		expect(
			applyDeploymentChange(list, row('b', 20, { state: 'ready' }), { filter }).map((d) => d.id)
		).toEqual(['c', 'a']);
		expect(
			applyDeploymentChange(list, row('d', 40, { branch: 'dev' }), { filter: { branch: 'main' } })
		).toBe(list);
	});
});

describe('rowFromSummary', () => {
	it('turns the ISO strings of a live event into dates', () => {
		const r = rowFromSummary({
			id: 'x',
			projectId: 'p',
			environmentId: null,
			branch: 'main',
			commitSha: 'abc',
			commitMessage: 'hi',
			trigger: 'push',
			state: 'ready',
			failureStage: null,
			failureReason: null,
			createdAt: '2026-01-01T12:00:00.000Z',
			readyAt: '2026-01-01T12:01:00.000Z',
			finishedAt: null
		});
		expect(r.createdAt).toEqual(new Date('2026-01-01T12:00:00.000Z'));
		expect(r.readyAt).toEqual(new Date('2026-01-01T12:01:00.000Z'));
		expect(r.finishedAt).toBeNull();
	});
});
