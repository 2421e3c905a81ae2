import { getContext, setContext } from 'svelte';
import { trpc } from '../trpc/browser.ts';
import {
	DeploymentFeed,
	type DeploymentSummary,
	type FeedStatus
} from './deployment-feed.svelte.ts';

type Listener = {
	onDeployment: (deployment: DeploymentSummary) => void;
	onResync?: () => void;
};

/**
 * One teams.follow subscription for the team in the URL, shared by everything on the page
 * (dashboard badges, toasts), so a tab holds one SSE connection per team, not one per widget.
 */
export class TeamLive {
	teamSlug = $state<string | null>(null);
	#feed = $state<DeploymentFeed | undefined>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- callbacks, not state
	#listeners = new Set<Listener>();

	get status(): FeedStatus | null {
		return this.#feed?.status ?? null;
	}

	/** Follows `teamSlug` (null: no team page open); a new slug replaces the old subscription. */
	follow(teamSlug: string | null) {
		if (teamSlug === this.teamSlug) return;
		this.#feed?.stop();
		this.#feed = undefined;
		this.teamSlug = teamSlug;
		if (!teamSlug) return;
		this.#feed = new DeploymentFeed(
			(handlers) => trpc().teams.follow.subscribe({ teamSlug, lastEventId: null }, handlers),
			{
				onDeployment: (d) => this.#listeners.forEach((l) => l.onDeployment(d)),
				onResync: () => this.#listeners.forEach((l) => l.onResync?.())
			}
		);
	}

	/** Returns the unsubscribe function, so it fits an `$effect` cleanup. */
	listen(listener: Listener): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	stop() {
		this.follow(null);
	}
}

const key = Symbol('team-live');

export function setTeamLive(live: TeamLive) {
	setContext(key, live);
}

export function getTeamLive(): TeamLive {
	return getContext<TeamLive>(key);
}
