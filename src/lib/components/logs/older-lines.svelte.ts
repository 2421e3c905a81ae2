import type { LogBuffer, LogLine } from './log-buffer.svelte.ts';

/** `deployments.logsBefore` of the tRPC client, bound to a deployment; injectable for tests. */
export type FetchBefore = (beforeId: number, limit: number) => Promise<LogLine[]>;

export type OlderState = 'more' | 'loading' | 'start' | 'capped' | 'error';

/**
 * Pages a log's older lines into a `LogBuffer` on demand: the page opens with the newest lines
 * only, and scrolling to the top (or "Load older lines") brings the page before them.
 */
export class OlderLines {
	#loading = $state(false);
	#failed = $state(false);
	#buffer: LogBuffer;
	#fetch: FetchBefore;
	#page: number;

	constructor(args: { buffer: LogBuffer; fetch: FetchBefore; page?: number }) {
		this.#buffer = args.buffer;
		this.#fetch = args.fetch;
		this.#page = args.page ?? 2000;
	}

	get state(): OlderState {
		if (this.#loading) return 'loading';
		if (this.#buffer.dropped === 0) return 'start';
		if (this.#buffer.capped || this.#buffer.room === 0) return 'capped';
		return this.#failed ? 'error' : 'more';
	}

	/** Loads the page before the oldest line held; resolves to how many shown lines came in front. */
	async load(): Promise<number> {
		const state = this.state;
		if ((state !== 'more' && state !== 'error') || !this.#buffer.firstId) return 0;
		this.#loading = true;
		this.#failed = false;
		try {
			const limit = Math.min(this.#page, this.#buffer.room);
			const rows = await this.#fetch(this.#buffer.firstId, limit);
			const added = this.#buffer.prepend(rows);
			// Fewer than asked: nothing older is left (the first line of the log is here).
			if (rows.length < limit) this.#buffer.dropped = 0;
			return added;
		} catch {
			this.#failed = true;
			return 0;
		} finally {
			this.#loading = false;
		}
	}
}
