import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeDotenv } from './dotenv-serialize.ts';
import { parseDotenv } from './dotenv.ts';

const parse = (text: string) => parseDotenv({ text });
const values = (text: string) =>
	Object.fromEntries(parse(text).entries.map((e) => [e.key, e.value]));

describe('parseDotenv', () => {
	it('skips comments and blank lines and keeps line numbers', () => {
		const result = parse('# database\n\nDATABASE_URL=postgres://db/app\n   # indented\nDEBUG=1\n');
		expect(result.entries).toEqual([
			{ key: 'DATABASE_URL', value: 'postgres://db/app', line: 3 },
			{ key: 'DEBUG', value: '1', line: 5 }
		]);
		expect(result.errors).toEqual([]);
		expect(result.warnings).toEqual([]);
	});

	it('reads `export KEY=value` and spaces around =', () => {
		expect(values('export A=1\nexport   B = two\nexport=3\n')).toEqual({
			A: '1',
			B: 'two',
			export: '3'
		});
	});

	it('trims unquoted values and strips a trailing comment only after whitespace', () => {
		expect(
			values(
				'A=  hello world  \nB=value # comment\nC=https://x.test/#anchor\nD=#not-a-comment\nE= # only a comment\nF=\nG=a=b=c'
			)
		).toEqual({
			A: 'hello world',
			B: 'value',
			C: 'https://x.test/#anchor',
			D: '#not-a-comment',
			E: '',
			F: '',
			G: 'a=b=c'
		});
	});

	it('keeps single-quoted values literally', () => {
		expect(values("A='a \\n $HOME # not a comment'  # comment\nB=''\nC='  padded  '")).toEqual({
			A: 'a \\n $HOME # not a comment',
			B: '',
			C: '  padded  '
		});
	});

	it('understands escapes in double quotes and leaves unknown ones as typed', () => {
		expect(values('A="line1\\nline2\\ttab \\"quoted\\" back\\\\slash \\$HOME \\x"')).toEqual({
			A: 'line1\nline2\ttab "quoted" back\\slash \\$HOME \\x'
		});
	});

	it('reads double-quoted values across lines, e.g. a private key', () => {
		const text = [
			'BEFORE=1',
			'KEY="-----BEGIN KEY-----',
			'abc',
			'',
			'-----END KEY-----"',
			'AFTER=2'
		].join('\r\n');
		const result = parse(text);
		expect(result.entries).toEqual([
			{ key: 'BEFORE', value: '1', line: 1 },
			{ key: 'KEY', value: '-----BEGIN KEY-----\nabc\n\n-----END KEY-----', line: 2 },
			{ key: 'AFTER', value: '2', line: 6 }
		]);
		expect(values("M='one\ntwo'")).toEqual({ M: 'one\ntwo' });
	});

	it('lets the last duplicate win and warns about it', () => {
		const result = parse('A=1\nB=x\nA=2\n');
		expect(result.entries).toEqual([
			{ key: 'B', value: 'x', line: 2 },
			{ key: 'A', value: '2', line: 3 }
		]);
		expect(result.warnings).toEqual([
			{ line: 3, message: 'Line 3: A is also set on line 1; the value from line 3 is used.' }
		]);
	});

	it('reports every line it cannot use, with its number, and keeps the rest', () => {
		const result = parse(
			[
				'GOOD=1',
				'1BAD=x',
				'MY-KEY=x',
				'just some text',
				'=value',
				'Q="closed" trailing',
				'ALSO_GOOD=2'
			].join('\n')
		);
		expect(result.entries.map((e) => e.key)).toEqual(['GOOD', 'ALSO_GOOD']);
		expect(result.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
		expect(result.errors[0].message).toBe(
			'Line 2: "1BAD": Env var names use letters, digits and underscores, and do not start with a digit.'
		);
		expect(result.errors[2].message).toBe('Line 4: expected KEY=value.');
		expect(result.errors[4].message).toMatch(/after the closing quote of "Q"/);
	});

	it('skips the whole multi-line value of a refused key, not just its first line', () => {
		const result = parse('BAD-KEY="first\nNOT_A_KEY=inside"\nC=3');
		expect(result.errors.map((e) => e.line)).toEqual([1]);
		expect(result.entries).toEqual([{ key: 'C', value: '3', line: 3 }]);
	});

	it('reports an unclosed quote and goes on with the next line', () => {
		const result = parse('A="never closed\nB=2\nC=3');
		expect(result.errors).toEqual([
			{
				line: 1,
				message:
					'Line 1: the value of "A" opens a " quote that is never closed; add the closing quote.'
			}
		]);
		expect(values('A="never closed\nB=2\nC=3')).toEqual({ B: '2', C: '3' });
	});

	it('enforces the key and value size limits', () => {
		const result = parse(
			`${'K'.repeat(257)}=1\nBIG="${'x'.repeat(64 * 1024 + 1)}"\nOK=${'y'.repeat(64 * 1024)}`
		);
		expect(result.errors.map((e) => e.line)).toEqual([1, 2]);
		expect(result.errors[0].message).toMatch(/at most 256 characters/);
		expect(result.errors[1].message).toMatch(/at most 64 KiB/);
		expect(result.entries.map((e) => e.key)).toEqual(['OK']);
	});

	it('never echoes a value in a message', () => {
		const result = parse('this-is-a-secret-token\nBAD-KEY="sk_live_123"\nA="sk_live_456');
		expect(result.errors).toHaveLength(3);
		expect(JSON.stringify(result.errors)).not.toMatch(/secret-token|sk_live/);
	});

	it('ignores a byte-order mark and an empty paste', () => {
		expect(values('\uFEFFA=1')).toEqual({ A: '1' });
		expect(parse('')).toEqual({ entries: [], errors: [], warnings: [] });
	});
});

describe('serializeDotenv', () => {
	it('quotes only what needs quoting', () => {
		expect(
			serializeDotenv({
				entries: [
					{ key: 'A', value: 'plain-value_1.2:3@x/y' },
					{ key: 'B', value: '' },
					{ key: 'C', value: 'has space $HOME' },
					{ key: 'D', value: "it's\nmulti" }
				]
			})
		).toBe(`A=plain-value_1.2:3@x/y\nB=\nC='has space $HOME'\nD="it's\\nmulti"\n`);
	});
});

describe('dotenv properties', () => {
	const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,30}$/);
	const value = fc.string({ unit: 'binary', maxLength: 200 }).filter((v) => !v.includes('\0'));

	it('reads back exactly what it writes', () => {
		fc.assert(
			fc.property(fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k }), (pairs) => {
				const entries = pairs.map(([k, v]) => ({ key: k, value: v }));
				const result = parseDotenv({ text: serializeDotenv({ entries }) });
				expect(result.errors).toEqual([]);
				expect(result.warnings).toEqual([]);
				expect(result.entries.map(({ key, value }) => ({ key, value }))).toEqual(entries);
			}),
			{ numRuns: 500 }
		);
	});

	it('never throws, whatever is pasted', () => {
		const pasted = fc.array(
			fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('"', "'", '=', '#', '\n', '\\')),
			{ maxLength: 40 }
		);
		fc.assert(
			fc.property(pasted, (parts) => {
				const result = parseDotenv({ text: parts.join('') });
				for (const entry of result.entries) expect(entry.key).toMatch(/^[A-Za-z_]\w*$/);
			}),
			{ numRuns: 500 }
		);
	});
});
