import type { DeploymentSummary } from '../server/events/bus.ts';

export type { DeploymentSummary };
export type FeedMessage =
	{ type: 'resync' } | { type: 'deployment'; deployment: DeploymentSummary };
export type FeedStatus = 'connecting' | 'live' | 'reconnecting';

type Handlers = {
	onData: (value: { id: string; data: FeedMessage } | FeedMessage) => void;
	onError: (error: unknown) => void;
	onComplete: () => void;
	onConnectionStateChange: (state: { state: string; error: unknown }) => void;
};
export type Subscribe = (handlers: Handlers) => { unsubscribe: () => void };

type FeedHandlers = {
	onDeployment: (deployment: DeploymentSummary) => void;
	onResync?: () => void;
};

const RETRY_MS = 3000;

/**
 * A team's or project's live feed of deployment changes. The link resumes with the last event
 * id by itself; when the subscription ends with an error (Redis down) this starts it again.
 * `status` drives the small "reconnecting" indicator; the page itself never depends on it.
 * `onResync` is skipped for the resync every first connection starts with (the page was just
 * loaded), but not after an outage, when events may have been missed.
 */
export class DeploymentFeed {
	status = $state<FeedStatus>('connecting');
	#subscription: { unsubscribe: () => void } | undefined;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#fresh = true;
	#stopped = false;
	readonly #subscribe: Subscribe;
	readonly #handlers: FeedHandlers;

	constructor(subscribe: Subscribe, handlers: FeedHandlers) {
		this.#subscribe = subscribe;
		this.#handlers = handlers;
		this.#start();
	}

	#start() {
		this.#subscription = this.#subscribe({
			onData: (value) => {
				this.status = 'live';
				const message = 'data' in value ? value.data : value;
				if (message.type === 'resync') {
					if (!this.#fresh) this.#handlers.onResync?.();
				} else {
					this.#handlers.onDeployment(message.deployment);
				}
				this.#fresh = false;
			},
			onConnectionStateChange: ({ state, error }) => {
				if (state === 'pending') this.status = 'live';
				else if (state === 'connecting' && error) this.#interrupted();
			},
			onError: () => this.#retry(),
			onComplete: () => this.#retry()
		});
	}

	#interrupted() {
		this.status = 'reconnecting';
		this.#fresh = false;
	}

	#retry() {
		if (this.#stopped) return;
		this.#interrupted();
		this.#subscription?.unsubscribe();
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => {
			if (!this.#stopped) this.#start();
		}, RETRY_MS);
	}

	stop() {
		this.#stopped = true;
		clearTimeout(this.#timer);
		this.#subscription?.unsubscribe();
	}
}
