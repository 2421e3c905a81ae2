export type LogLine = { id: number; stream: string; line: string; at: string | Date };
export type StreamGroup = 'build' | 'runtime' | 'platform';
export const STREAM_GROUPS: StreamGroup[] = ['build', 'runtime', 'platform'];

/** stdout and stderr are both the app's runtime output. */
export function groupOf(stream: string): StreamGroup {
	return stream === 'build' || stream === 'platform' ? stream : 'runtime';
}

/**
 * The lines a live view holds, in id order, without duplicates, and the filtered view of them.
 * Plain arrays (not deeply reactive: 100,000 proxies would be slow); `version` tells readers
 * when to look again. Past `max` lines the oldest go, a tenth at a time, and are counted.
 */
export class LogBuffer {
	version = $state(0);
	/** Lines older than the first one held that are not loaded (yet); `older()` pages them in. */
	dropped = $state(0);
	/** The oldest lines went to keep at most `max`: older ones are only in the download. */
	capped = $state(false);
	#all: LogLine[] = [];
	#view: LogLine[] = [];
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- `version` signals every change
	#shown = new Set<StreamGroup>(STREAM_GROUPS);
	#max: number;

	constructor(max = 200_000) {
		this.#max = max;
	}

	/**
	 * The shown lines. Appends mutate this array in place (no copy per batch), so `$derived` of it
	 * alone would not see them: read `count` or `version` alongside.
	 */
	get lines(): readonly LogLine[] {
		void this.version;
		return this.#view;
	}

	/** How many lines are shown. */
	get count(): number {
		void this.version;
		return this.#view.length;
	}

	get firstId(): number {
		return this.#all[0]?.id ?? 0;
	}

	/** Room for older lines before the maximum is reached. */
	get room(): number {
		void this.version;
		return Math.max(0, this.#max - this.#all.length);
	}

	get lastId(): number {
		return this.#all.at(-1)?.id ?? 0;
	}

	get total(): number {
		void this.version;
		return this.#all.length;
	}

	isShown(group: StreamGroup): boolean {
		void this.version;
		return this.#shown.has(group);
	}

	append(entries: LogLine[]) {
		let last = this.lastId;
		let added = false;
		for (const entry of entries) {
			if (entry.id <= last) continue;
			last = entry.id;
			this.#all.push(entry);
			if (this.#shown.has(groupOf(entry.stream))) this.#view.push(entry);
			added = true;
		}
		if (!added) return;
		if (this.#all.length > this.#max) {
			const cut = this.#all.length - Math.floor(this.#max * 0.9);
			this.#all.splice(0, cut);
			this.dropped += cut;
			this.capped = true;
			this.#refilter();
		}
		this.version++;
	}

	/**
	 * Older lines (in id order) before the first one held; lines it already has are skipped.
	 * Returns how many of the shown lines were added in front, so a view can keep its place.
	 */
	prepend(entries: LogLine[]): number {
		const first = this.firstId || Infinity;
		const room = this.room;
		const older = room ? entries.filter((e) => e.id < first).slice(-room) : [];
		if (older.length === 0) return 0;
		this.#all.unshift(...older);
		const shown = older.filter((e) => this.#shown.has(groupOf(e.stream)));
		this.#view.unshift(...shown);
		this.dropped = Math.max(0, this.dropped - older.length);
		if (this.room === 0 && this.dropped > 0) this.capped = true;
		this.version++;
		return shown.length;
	}

	setShown(group: StreamGroup, shown: boolean) {
		if (shown) this.#shown.add(group);
		else this.#shown.delete(group);
		this.#refilter();
		this.version++;
	}

	#refilter() {
		this.#view = this.#all.filter((l) => this.#shown.has(groupOf(l.stream)));
	}
}
