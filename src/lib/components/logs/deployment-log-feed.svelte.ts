import type { DeploymentSummary, LogEntryEvent } from '../../server/events/bus.ts';
import type { LogBuffer } from './log-buffer.svelte.ts';

export type LogFeedStatus = 'connecting' | 'live' | 'reconnecting' | 'ended';

type FeedEvent =
	| { type: 'logs'; entries: LogEntryEvent[] }
	| { type: 'state'; deployment: DeploymentSummary }
	| { type: 'truncated'; omitted: number }
	| { type: 'end' };

type Handlers = {
	onData: (value: { id: string; data: FeedEvent }) => void;
	onError: (error: unknown) => void;
	onComplete: () => void;
	onConnectionStateChange: (state: { state: string; error: unknown }) => void;
};
/** `deployments.follow` of the tRPC client, bound to a deployment; injectable for tests. */
export type SubscribeLogs = (
	lastEventId: string | null,
	handlers: Handlers
) => { unsubscribe: () => void };

const RETRY_MS = 3000;

/**
 * A deployment's live log into a `LogBuffer`. The link resumes with the last event id by itself
 * (Redis answering again); when the subscription fails outright this starts it again with that
 * id. What is shown is never cleared: the buffer drops lines it already has.
 */
export class DeploymentLogFeed {
	status = $state<LogFeedStatus>('connecting');
	#subscribe: SubscribeLogs;
	#buffer: LogBuffer;
	#onState: (deployment: DeploymentSummary) => void;
	#lastEventId: string | null = null;
	#subscription: { unsubscribe: () => void } | undefined;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#stopped = false;

	constructor(args: {
		subscribe: SubscribeLogs;
		buffer: LogBuffer;
		onState: (deployment: DeploymentSummary) => void;
	}) {
		this.#subscribe = args.subscribe;
		this.#buffer = args.buffer;
		this.#onState = args.onState;
		this.#start();
	}

	#start() {
		this.#subscription = this.#subscribe(this.#lastEventId, {
			onData: ({ id, data }) => {
				this.#lastEventId = id;
				if (this.status !== 'ended') this.status = 'live';
				if (data.type === 'logs') this.#buffer.append(data.entries);
				else if (data.type === 'state') this.#onState(data.deployment);
				else if (data.type === 'truncated') this.#buffer.dropped += data.omitted;
				else this.status = 'ended';
			},
			onConnectionStateChange: ({ state, error }) => {
				if (this.status === 'ended') return;
				if (state === 'pending') this.status = 'live';
				else if (state === 'connecting' && error) this.status = 'reconnecting';
			},
			onError: () => this.#retry(),
			onComplete: () => {
				if (this.status !== 'ended') this.#retry();
			}
		});
	}

	#retry() {
		if (this.#stopped) return;
		this.status = 'reconnecting';
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
