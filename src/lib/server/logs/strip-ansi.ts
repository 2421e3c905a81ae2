// CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ESC \), and two-byte escapes (ESC + one char).
const ESCAPES =
	// eslint-disable-next-line no-control-regex -- matching control characters is the point
	/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()*+][0-9A-Za-z]|\x1b[@-Z\\-_]/g;
// Other C0 controls (tab kept) would garble a text file; backspace and bell included.
// eslint-disable-next-line no-control-regex -- as above
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** A log line as plain text: terminal escapes removed, stray control characters dropped. */
export function stripAnsi(line: string): string {
	return line.replace(ESCAPES, '').replace(CONTROLS, '');
}
