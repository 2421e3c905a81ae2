import { describeEnvKeyProblem, describeEnvValueProblem } from './keys.ts';

export type DotenvEntry = { key: string; value: string; line: number };
/** `line` is 1-based, as editors show it. Messages name keys but never values: they may be secrets. */
export type DotenvProblem = { line: number; message: string };
export type DotenvResult = {
	entries: DotenvEntry[];
	errors: DotenvProblem[];
	warnings: DotenvProblem[];
};

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

type Quoted = { value: string; endIndex: number; rest: string };

/**
 * Reads a quoted value that may span lines. Double quotes understand \n \r \t \" \\ (other
 * backslashes stay as typed); single quotes are literal.
 */
function readQuoted(lines: string[], index: number, start: number, quote: string): Quoted | null {
	let value = '';
	for (let i = index; i < lines.length; i++) {
		const text = lines[i];
		for (let c = i === index ? start : 0; c < text.length; c++) {
			const char = text[c];
			if (char === quote) return { value, endIndex: i, rest: text.slice(c + 1) };
			if (quote === '"' && char === '\\' && c + 1 < text.length) {
				const next = text[++c];
				value += ESCAPES[next] ?? `\\${next}`;
			} else {
				value += char;
			}
		}
		value += '\n';
	}
	return null;
}

function quoteKey(key: string) {
	return key.length > 40 ? `"${key.slice(0, 40)}…"` : `"${key}"`;
}

type Assignment = { endIndex: number } & ({ key: string; value: string } | { error: string });

/** Reads the `KEY=value` starting on `lines[index]`; a quoted value may end on a later line. */
function readAssignment(lines: string[], index: number): Assignment {
	const text = lines[index];
	const equals = text.indexOf('=');
	if (equals === -1) return { endIndex: index, error: 'expected KEY=value.' };
	const key = text
		.slice(0, equals)
		.trim()
		.replace(/^export\s+/, '');
	const afterEquals = text.slice(equals + 1);
	const valueText = afterEquals.trimStart();
	let value: string;
	let endIndex = index;

	const quote = valueText[0];
	if (quote === '"' || quote === "'") {
		const start = equals + 1 + (afterEquals.length - valueText.length) + 1;
		const quoted = readQuoted(lines, index, start, quote);
		if (!quoted) {
			const error = `the value of ${quoteKey(key)} opens a ${quote} quote that is never closed; add the closing quote.`;
			return { endIndex, error };
		}
		endIndex = quoted.endIndex;
		const rest = quoted.rest.trim();
		if (rest !== '' && !rest.startsWith('#')) {
			const error = `unexpected text after the closing quote of ${quoteKey(key)}; put the whole value inside the quotes.`;
			return { endIndex, error };
		}
		value = quoted.value;
	} else {
		// A # starts a comment only after whitespace, so `URL=https://x/#anchor` stays whole.
		const comment = afterEquals.search(/\s#/);
		value = (comment === -1 ? afterEquals : afterEquals.slice(0, comment)).trim();
	}

	if (key === '') return { endIndex, error: 'the variable name before "=" is missing.' };
	const problem = describeEnvKeyProblem(key) ?? describeEnvValueProblem(value);
	if (problem) return { endIndex, error: `${quoteKey(key)}: ${problem}` };
	return { endIndex, key, value };
}

/**
 * Parses a pasted `.env` file. Every line that cannot be used is reported with its number rather
 * than dropped, so the preview can show the user exactly what will and will not be saved.
 */
export function parseDotenv({ text }: { text: string }): DotenvResult {
	const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
	const found = new Map<string, DotenvEntry>();
	const errors: DotenvProblem[] = [];
	const warnings: DotenvProblem[] = [];

	for (let index = 0; index < lines.length; index++) {
		const line = index + 1;
		const trimmed = lines[index].trim();
		if (trimmed === '' || trimmed.startsWith('#')) continue;

		const assignment = readAssignment(lines, index);
		index = assignment.endIndex;
		if ('error' in assignment) {
			errors.push({ line, message: `Line ${line}: ${assignment.error}` });
			continue;
		}
		const { key, value } = assignment;
		const earlier = found.get(key);
		if (earlier) {
			warnings.push({
				line,
				message: `Line ${line}: ${key} is also set on line ${earlier.line}; the value from line ${line} is used.`
			});
			found.delete(key);
		}
		found.set(key, { key, value, line });
	}

	return { entries: [...found.values()], errors, warnings };
}
