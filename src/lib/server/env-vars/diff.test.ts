import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffEnv } from './diff.ts';

describe('diffEnv', () => {
	it('sorts every key into added, changed, unchanged or removed', () => {
		expect(
			diffEnv({
				current: { KEEP: '1', EDIT: 'old', DROP: 'x' },
				incoming: { NEW: 'n', EDIT: 'new', KEEP: '1' }
			})
		).toEqual({ added: ['NEW'], changed: ['EDIT'], unchanged: ['KEEP'], removed: ['DROP'] });
	});

	it('counts a secret with an unknown value as changed unless told otherwise', () => {
		const current = { API_KEY: null, PLAIN: 'a' };
		const incoming = { API_KEY: 'sk_live', PLAIN: 'a' };
		expect(diffEnv({ current, incoming }).changed).toEqual(['API_KEY']);
		expect(diffEnv({ current, incoming, unknownAs: 'unchanged' })).toEqual({
			added: [],
			changed: [],
			unchanged: ['API_KEY', 'PLAIN'],
			removed: []
		});
	});

	it('treats an empty string as a value, not as missing', () => {
		expect(diffEnv({ current: { A: '' }, incoming: { A: '' } }).unchanged).toEqual(['A']);
		expect(diffEnv({ current: { A: 'x' }, incoming: { A: '' } }).changed).toEqual(['A']);
	});

	it('is not fooled by keys that exist on every object', () => {
		expect(diffEnv({ current: {}, incoming: { constructor: 'x', toString: 'y' } }).added).toEqual([
			'constructor',
			'toString'
		]);
	});

	it('puts every key in exactly one bucket', () => {
		const env = fc.dictionary(fc.constantFrom('A', 'B', 'C', 'D', 'E'), fc.constantFrom('1', '2'));
		const saved = fc.dictionary(
			fc.constantFrom('A', 'B', 'C', 'F'),
			fc.option(fc.constantFrom('1', '2'))
		);
		fc.assert(
			fc.property(saved, env, (current, incoming) => {
				const diff = diffEnv({ current, incoming });
				const all = [...diff.added, ...diff.changed, ...diff.unchanged, ...diff.removed];
				const keys = new Set([...Object.keys(current), ...Object.keys(incoming)]);
				expect(all.sort()).toEqual([...keys].sort());
			})
		);
	});
});
