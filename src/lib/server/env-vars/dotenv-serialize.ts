/** Values that every dotenv dialect reads the same way without quotes. */
const BARE = /^[A-Za-z0-9_./:@,+=%-]*$/;

function quoteValue(value: string): string {
	if (BARE.test(value)) return value;
	// Single quotes are literal in every dialect (no `$` interpolation), so prefer them.
	if (!/['\n\r]/.test(value)) return `'${value}'`;
	const escaped = value
		.replace(/\\/g, '\\\\')
		.replace(/"/g, '\\"')
		.replace(/\n/g, '\\n')
		.replace(/\r/g, '\\r')
		.replace(/\t/g, '\\t');
	return `"${escaped}"`;
}

/**
 * Writes env vars as a `.env` file that `parseDotenv` reads back to the same values (for
 * `slipway env pull`). One line per variable: newlines inside values are escaped.
 */
export function serializeDotenv({
	entries
}: {
	entries: readonly { key: string; value: string }[];
}): string {
	return entries.map(({ key, value }) => `${key}=${quoteValue(value)}\n`).join('');
}
