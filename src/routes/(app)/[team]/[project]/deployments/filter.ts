import { DEPLOYMENT_STATES, type DeploymentState } from '$lib/components/deployments/deployment';

export const PAGE_SIZE = 30;

/** The list's filter from the URL (`?state=failed&branch=main`), so a filtered view can be shared. */
export function parseFilter(params: URLSearchParams): { state?: DeploymentState; branch?: string } {
	const state = params.get('state') ?? '';
	const branch = params.get('branch')?.trim().slice(0, 255) ?? '';
	return {
		state: (DEPLOYMENT_STATES as readonly string[]).includes(state)
			? (state as DeploymentState)
			: undefined,
		branch: branch || undefined
	};
}
