import { describe, expect, it } from 'vitest';
import { renderPrComment } from './comment-body.ts';
import { commitStatusOf, deploymentStatusOf, githubEnvironmentName, shorten } from './describe.ts';

const facts = (
	state: Parameters<typeof commitStatusOf>[0]['state'],
	reason: string | null = null
) => ({
	state,
	failureStage: state === 'failed' ? 'probe' : null,
	failureReason: reason
});

describe('what GitHub shows for each state', () => {
	it('maps states to commit statuses and deployment statuses', () => {
		const table = (
			['queued', 'building', 'starting', 'ready', 'failed', 'canceled', 'skipped'] as const
		).map((s) => [
			s,
			commitStatusOf(facts(s, 'why')).state,
			deploymentStatusOf(facts(s, 'why')).state
		]);
		expect(table).toEqual([
			['queued', 'pending', 'queued'],
			['building', 'pending', 'in_progress'],
			['starting', 'pending', 'in_progress'],
			['ready', 'success', 'success'],
			['failed', 'failure', 'failure'],
			['canceled', 'error', 'inactive'],
			['skipped', 'success', 'inactive']
		]);
		expect(commitStatusOf(facts('failed', 'No answer on port 8000.')).description).toBe(
			'Failed at probe: No answer on port 8000.'
		);
	});

	it('keeps descriptions within 140 characters on one line', () => {
		const text = shorten(`first line\nsecond ${'x'.repeat(300)}`);
		expect(text).toHaveLength(140);
		expect(text).toMatch(/^first line second x+…$/);
	});

	it('names environments per project so projects on one repository stay apart', () => {
		expect(
			githubEnvironmentName({
				projectSlug: 'web',
				target: { kind: 'production' },
				environmentName: null
			})
		).toBe('Production – web');
		expect(
			githubEnvironmentName({
				projectSlug: 'web',
				target: { kind: 'environment', environmentSlug: 'staging' },
				environmentName: 'Staging'
			})
		).toBe('Staging – web');
		expect(
			githubEnvironmentName({
				projectSlug: 'web',
				target: { kind: 'pull_request', number: 4 },
				environmentName: null
			})
		).toBe('Preview – web – PR #4');
	});
});

describe('the pull-request comment', () => {
	it('escapes project names so they cannot break the table or add markup', () => {
		const body = renderPrComment([
			{
				projectName: 'a|b <img src=x>',
				state: 'failed',
				failureStage: 'build',
				previewUrl: null,
				deploymentUrl: 'https://s.example.com/t/p/deployments/1',
				updatedAt: new Date('2026-11-25T03:52:10Z')
			}
		]);
		expect(body).toContain(
			'| a\\|b \\<img src=x\\> | ❌ Failed at build | — | [Inspect](https://s.example.com/t/p/deployments/1) | 2026-11-25 03:52 UTC |'
		);
		expect(body.startsWith('<!-- slipway:pr-comment -->\n')).toBe(true);
	});
});
