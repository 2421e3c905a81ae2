/** A run of text with one look; `style` is inline CSS (empty for the default look). */
export type AnsiSegment = { text: string; style: string };

// Tuned for the viewer's dark background in both themes: every color stays readable on it.
const PALETTE = [
	'#71717a',
	'#f87171',
	'#4ade80',
	'#facc15',
	'#60a5fa',
	'#e879f9',
	'#22d3ee',
	'#d4d4d8',
	'#a1a1aa',
	'#fca5a5',
	'#86efac',
	'#fde047',
	'#93c5fd',
	'#f0abfc',
	'#67e8f9',
	'#fafafa'
];

type Look = {
	fg?: string;
	bg?: string;
	bold?: boolean;
	dim?: boolean;
	italic?: boolean;
	underline?: boolean;
	inverse?: boolean;
	strike?: boolean;
};

/** xterm's 256 colors: 16 named, a 6×6×6 cube, 24 grays. */
export function color256(n: number): string | undefined {
	if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
	if (n < 16) return PALETTE[n];
	if (n >= 232) {
		const v = 8 + (n - 232) * 10;
		return `rgb(${v},${v},${v})`;
	}
	const c = n - 16;
	const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
	return `rgb(${level(Math.floor(c / 36))},${level(Math.floor(c / 6) % 6)},${level(c % 6)})`;
}

/** Applies one SGR sequence's parameters (`1;31`, `38;5;208`, `38;2;r;g;b`, `0`, ...). */
function applySgr(look: Look, params: string): Look {
	const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
	let next = { ...look };
	for (let i = 0; i < codes.length; i++) {
		const c = codes[i];
		if (c === 0) next = {};
		else if (c === 1) next.bold = true;
		else if (c === 2) next.dim = true;
		else if (c === 3) next.italic = true;
		else if (c === 4) next.underline = true;
		else if (c === 7) next.inverse = true;
		else if (c === 9) next.strike = true;
		else if (c === 22) next.bold = next.dim = false;
		else if (c === 23) next.italic = false;
		else if (c === 24) next.underline = false;
		else if (c === 27) next.inverse = false;
		else if (c === 29) next.strike = false;
		else if (c >= 30 && c <= 37) next.fg = PALETTE[c - 30];
		else if (c >= 90 && c <= 97) next.fg = PALETTE[c - 90 + 8];
		else if (c >= 40 && c <= 47) next.bg = PALETTE[c - 40];
		else if (c >= 100 && c <= 107) next.bg = PALETTE[c - 100 + 8];
		else if (c === 39) next.fg = undefined;
		else if (c === 49) next.bg = undefined;
		else if (c === 38 || c === 48) {
			let value: string | undefined;
			if (codes[i + 1] === 5) {
				value = color256(codes[i + 2]);
				i += 2;
			} else if (codes[i + 1] === 2) {
				const [r, g, b] = codes.slice(i + 2, i + 5).map((x) => Math.max(0, Math.min(255, x || 0)));
				value = `rgb(${r},${g},${b})`;
				i += 4;
			}
			if (c === 38) next.fg = value;
			else next.bg = value;
		}
	}
	return next;
}

function styleOf(look: Look): string {
	const fg = look.inverse ? (look.bg ?? '#18181b') : look.fg;
	const bg = look.inverse ? (look.fg ?? '#d4d4d8') : look.bg;
	const parts: string[] = [];
	if (fg) parts.push(`color:${fg}`);
	if (bg) parts.push(`background-color:${bg}`);
	if (look.bold) parts.push('font-weight:600');
	if (look.dim) parts.push('opacity:0.7');
	if (look.italic) parts.push('font-style:italic');
	const lines = [look.underline && 'underline', look.strike && 'line-through'].filter(Boolean);
	if (lines.length) parts.push(`text-decoration:${lines.join(' ')}`);
	return parts.join(';');
}

// SGR (captured), any other CSI, OSC (titles, links), and two-byte escapes: only SGR has a look.
const ESCAPE =
	// eslint-disable-next-line no-control-regex -- escape sequences are control characters
	/\x1b\[([0-9;:]*)m|\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()*+][0-9A-Za-z]|\x1b[@-Z\\-_]?/g;
// eslint-disable-next-line no-control-regex -- stray controls (tab kept) would render as boxes
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

/**
 * A log line as styled runs of plain text. The text is never HTML: components render it as text
 * nodes, so `<script>` in a log line shows as characters. A carriage return overwrites the line
 * the way a terminal does (progress bars), so only what follows the last one is shown.
 */
export function parseAnsi(line: string): AnsiSegment[] {
	const cr = line.lastIndexOf('\r', line.length - 2);
	const text = cr >= 0 ? line.slice(cr + 1) : line;
	const segments: AnsiSegment[] = [];
	let look: Look = {};
	let last = 0;
	const push = (chunk: string) => {
		const clean = chunk.replace(CONTROLS, '');
		if (!clean) return;
		const style = styleOf(look);
		const prev = segments.at(-1);
		if (prev && prev.style === style) prev.text += clean;
		else segments.push({ text: clean, style });
	};
	for (const match of text.matchAll(ESCAPE)) {
		push(text.slice(last, match.index));
		last = match.index + match[0].length;
		if (match[1] !== undefined) look = applySgr(look, match[1]);
	}
	push(text.slice(last));
	return segments;
}
