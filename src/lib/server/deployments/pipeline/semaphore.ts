/** Limits how many builds this worker runs at once (the instance's build concurrency). */
export class Semaphore {
	#active = 0;
	#waiting: (() => void)[] = [];
	limit: number;

	constructor(limit: number) {
		this.limit = limit;
	}

	async run<T>(work: () => Promise<T>, onWait?: () => void): Promise<T> {
		if (this.#active < this.limit) this.#active++;
		else {
			onWait?.();
			// The slot is handed over by the finishing run, so nobody can slip in between.
			await new Promise<void>((resolve) => this.#waiting.push(resolve));
		}
		try {
			return await work();
		} finally {
			const next = this.#waiting.shift();
			if (next) next();
			else this.#active--;
		}
	}
}
