import { describe, expect, it } from 'vitest';
import { availableActions, failureAdvice, timeline, totalMs } from './deployment-view';

const at = (s: number) => new Date(1_700_000_000_000 + s * 1000);
const base = {
	createdAt: at(0),
	buildStartedAt: null,
	startStartedAt: null,
	readyAt: null,
	finishedAt: null
};

describe('timeline', () => {
	it('gives every stage of a ready deployment its duration', () => {
		const d = {
			...base,
			state: 'ready',
			buildStartedAt: at(2),
			startStartedAt: at(32),
			readyAt: at(35)
		};
		expect(timeline(d, 0).map((s) => [s.key, s.status, s.ms])).toEqual([
			['queued', 'done', 2000],
			['building', 'done', 30000],
			['starting', 'done', 3000],
			['ready', 'done', null]
		]);
		expect(totalMs(d, 0)).toBe(35000);
	});

	it('counts the running stage up to now and leaves later ones pending', () => {
		const d = { ...base, state: 'building', buildStartedAt: at(1) };
		expect(timeline(d, at(11).getTime()).map((s) => [s.status, s.ms])).toEqual([
			['done', 1000],
			['current', 10000],
			['pending', null],
			['pending', null]
		]);
	});

	it('marks the stage a failure hit', () => {
		const d = {
			...base,
			state: 'failed',
			buildStartedAt: at(1),
			startStartedAt: at(5),
			finishedAt: at(35)
		};
		expect(timeline(d, 0).map((s) => s.status)).toEqual(['done', 'done', 'failed', 'pending']);
		expect(timeline(d, 0)[2].ms).toBe(30000);
		expect(failureAdvice('probe')).toMatch(/health check/);
		expect(failureAdvice(null)).toMatch(/Read the log/);
	});
});

describe('availableActions', () => {
	const production = {
		kind: 'production',
		key: '',
		label: 'site',
		url: 'http://site.localhost',
		deploymentId: 'current'
	};
	const ready = {
		id: 'old',
		state: 'ready',
		image: 'slipway/site:old',
		imageRemovedAt: null,
		target: { kind: 'production', key: '' }
	};

	it('offers rollback to an earlier ready deployment, not to the one serving', () => {
		expect(availableActions(ready, [production]).rollback.enabled).toBe(true);
		const serving = availableActions({ ...ready, id: 'current' }, [production]);
		expect(serving.rollback).toEqual({
			enabled: false,
			reason: 'It is already serving production.'
		});
		expect(availableActions(ready, []).rollback.reason).toMatch(/never went live/);
		expect(
			availableActions({ ...ready, imageRemovedAt: new Date() }, [production]).rollback.reason
		).toMatch(/removed by retention/);
	});

	it('promotes only ready previews and cancels only what is in progress', () => {
		expect(availableActions(ready, [production]).promote.reason).toMatch(/already a production/);
		const preview = { ...ready, target: { kind: 'branch', key: 'feature/x' } };
		expect(availableActions(preview, []).promote.enabled).toBe(true);
		expect(availableActions(ready, []).cancel.enabled).toBe(false);
		const building = availableActions({ ...ready, state: 'building' }, []);
		expect(building.cancel.enabled).toBe(true);
		expect(building.rollback.enabled).toBe(false);
		expect(building.promote.enabled).toBe(false);
		expect(building.redeploy.enabled).toBe(true);
	});
});
