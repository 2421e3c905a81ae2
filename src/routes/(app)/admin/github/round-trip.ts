/** What the manifest round trip remembers: which GitHub the App is created on, and by whom. */
export type ManifestTrip = { webUrl: string; userId: string };
export const MANIFEST_ROUND_TRIP = 'slipway_github_manifest';
