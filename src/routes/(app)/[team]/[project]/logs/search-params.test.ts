import { describe, expect, it } from 'vitest';
import { olderPageQuery, readFilters, searchInput } from './search-params';

const id = '0b7e2a9c-1f0e-4c1a-9a51-3f7d2b1c0e99';

describe('explorer filters', () => {
	it('reads valid filters and ignores malformed ones', () => {
		const f = readFilters(
			new URLSearchParams(
				`q= timeout &deployment=${id}&environment=x&stream=stderr&range=1h&before=42`
			)
		);
		expect(f).toEqual({
			q: 'timeout',
			deployment: id,
			environment: '',
			stream: 'stderr',
			range: '1h',
			before: 42
		});
		expect(readFilters(new URLSearchParams('stream=nope&range=2y&before=-1&deployment=1'))).toEqual(
			{
				q: '',
				deployment: '',
				environment: '',
				stream: 'all',
				range: '24h',
				before: null
			}
		);
	});

	it('turns them into a bounded search and a link to older results', () => {
		const f = readFilters(
			new URLSearchParams('q=err&stream=runtime&range=15m&environment=preview')
		);
		const input = searchInput(f, 1_000_000_000);
		expect(input).toMatchObject({
			text: 'err',
			environmentId: 'preview',
			streams: ['stdout', 'stderr'],
			from: new Date(1_000_000_000 - 15 * 60_000),
			limit: 100
		});
		expect(searchInput(readFilters(new URLSearchParams('range=all')), 0).from).toBeUndefined();
		expect(olderPageQuery(f, 7)).toBe(
			'?q=err&environment=preview&stream=runtime&range=15m&before=7'
		);
	});
});
