/**
 * "Now" for relative times: starts at the server's `now` (so hydration renders the same text),
 * then ticks in the browser so "just now" becomes "2 minutes ago" without a reload.
 */
export class Clock {
	now = $state(0);

	constructor(initial: number, everyMs = 15_000) {
		this.now = initial;
		$effect(() => {
			this.now = Date.now();
			const timer = setInterval(() => (this.now = Date.now()), everyMs);
			return () => clearInterval(timer);
		});
	}
}
