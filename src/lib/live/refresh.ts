import { invalidateAll } from '$app/navigation';
import { navigating } from '$app/state';

/**
 * Reloads the page's data after a live event. Skipped while the user is navigating away: in
 * SvelteKit 2, an invalidation during a navigation aborts that navigation (sveltejs/kit#9354,
 * changed only in Kit 3), so a deployment event arriving as someone clicks a link would swallow
 * the click. The page being left loads fresh data anyway.
 */
export function refreshLiveData(): Promise<void> {
	if (navigating.to) return Promise.resolve();
	return invalidateAll();
}
