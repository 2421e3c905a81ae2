import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import {
	assertTransition,
	canTransition,
	cancelableStates,
	DEPLOYMENT_STATES,
	type DeploymentState,
	FAILURE_STAGES,
	isDeploymentState,
	isFailureStage,
	isTerminal,
	listNextStates
} from './state-machine.ts';

const allowed: Record<DeploymentState, DeploymentState[]> = {
	queued: ['building', 'canceled', 'skipped', 'failed'],
	building: ['starting', 'failed', 'canceled'],
	starting: ['ready', 'failed', 'canceled'],
	ready: [],
	failed: [],
	canceled: [],
	skipped: []
};

const pairs = DEPLOYMENT_STATES.flatMap((from) => DEPLOYMENT_STATES.map((to) => ({ from, to })));

describe('deployment state machine', () => {
	it.each(pairs)('$from → $to follows the transition table', ({ from, to }) => {
		const expected = allowed[from].includes(to);
		expect(canTransition({ from, to })).toBe(expected);
		if (expected) {
			expect(() => assertTransition({ from, to })).not.toThrow();
		} else {
			expect(() => assertTransition({ from, to })).toThrow(AppError);
		}
	});

	it('never lets a deployment go back or stay in place', () => {
		for (const state of DEPLOYMENT_STATES) {
			expect(canTransition({ from: state, to: state })).toBe(false);
			expect(canTransition({ from: state, to: 'queued' })).toBe(false);
		}
	});

	it('ends every path in a terminal state', () => {
		expect(DEPLOYMENT_STATES.filter(isTerminal)).toEqual([
			'ready',
			'failed',
			'canceled',
			'skipped'
		]);
		for (const state of DEPLOYMENT_STATES) {
			expect(isTerminal(state)).toBe(listNextStates(state).length === 0);
		}
	});

	it('lets the user cancel exactly the states that are still in progress', () => {
		expect(cancelableStates).toEqual(['queued', 'building', 'starting']);
		expect(cancelableStates.every((s) => !isTerminal(s))).toBe(true);
	});

	it('only skips deployments that have not started building', () => {
		expect(DEPLOYMENT_STATES.filter((from) => canTransition({ from, to: 'skipped' }))).toEqual([
			'queued'
		]);
	});

	it('explains a refused transition as a conflict the user can act on', () => {
		const error = (() => {
			try {
				assertTransition({ from: 'ready', to: 'canceled' });
			} catch (e) {
				return e;
			}
		})();
		expect(error).toBeInstanceOf(AppError);
		expect(error).toMatchObject({ code: 'CONFLICT' });
		expect((error as AppError).message).toMatch(
			/^Deployment is already ready, so it cannot be canceled/
		);

		expect(() => assertTransition({ from: 'starting', to: 'building' })).toThrow(
			/already starting, so it cannot be built now/
		);
	});

	it('recognises stored states and failure stages', () => {
		expect(isDeploymentState('building')).toBe(true);
		expect(isDeploymentState('retired')).toBe(false);
		expect(FAILURE_STAGES).toEqual(['fetch', 'build', 'start', 'probe', 'finalize']);
		expect(isFailureStage('probe')).toBe(true);
		expect(isFailureStage('deploy')).toBe(false);
	});
});
