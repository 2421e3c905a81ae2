import { getContext, setContext } from 'svelte';

export type Toast = {
	id: number;
	tone: 'success' | 'error' | 'info';
	title: string;
	body?: string;
	href?: string;
	linkText?: string;
};

const LIFETIME_MS = 8000;

/** Short-lived notices in a corner of the screen; each closes itself or with its button. */
export class ToastStore {
	items = $state<Toast[]>([]);
	#next = 1;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- timer handles, not state
	#timers = new Map<number, ReturnType<typeof setTimeout>>();

	push(toast: Omit<Toast, 'id'>): number {
		const id = this.#next++;
		// Keep the last few: a burst of deploys must not cover the page.
		this.items = [...this.items.slice(-3), { ...toast, id }];
		this.#timers.set(
			id,
			setTimeout(() => this.dismiss(id), LIFETIME_MS)
		);
		return id;
	}

	dismiss(id: number) {
		clearTimeout(this.#timers.get(id));
		this.#timers.delete(id);
		this.items = this.items.filter((t) => t.id !== id);
	}

	/** While the pointer or focus is on a toast it stays; it closes a while after leaving. */
	hold(id: number) {
		clearTimeout(this.#timers.get(id));
	}

	release(id: number) {
		clearTimeout(this.#timers.get(id));
		this.#timers.set(
			id,
			setTimeout(() => this.dismiss(id), LIFETIME_MS / 2)
		);
	}
}

const key = Symbol('toasts');

export function setToasts(store: ToastStore) {
	setContext(key, store);
}

export function getToasts(): ToastStore {
	return getContext<ToastStore>(key);
}
