import { getDocker, LABEL } from './client.ts';
import { pickSubnet } from './subnets.ts';

const networkName = (projectId: string) => `slipway-p-${projectId.slice(0, 12)}`;

/** Docker's answer when a subnet collides with another network's (a concurrent create won it). */
function isOverlap(error: unknown) {
	return /overlap/i.test((error as Error).message ?? '');
}

/**
 * One bridge network per project: its containers reach each other and the internet, but not
 * the apps of other projects nor the platform's own services on other networks. Its subnet comes
 * from `pool` (SLIPWAY_NETWORK_POOL), not from Docker's default pools, which run out at ~30.
 */
export async function ensureProjectNetwork(projectId: string, pool: string): Promise<string> {
	const name = networkName(projectId);
	const docker = getDocker();
	const failed: string[] = [];
	for (let attempt = 0; attempt < 5; attempt++) {
		const networks = await docker.listNetworks();
		if (networks.some((n) => n.Name === name)) return name;
		const taken = networks.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? ''));
		const subnet = pickSubnet(pool, [...taken, ...failed]);
		if (!subnet) {
			throw new Error(
				`No free /24 subnet is left in SLIPWAY_NETWORK_POOL (${pool}) for this project's network: set a larger range (e.g. 10.208.0.0/12) or delete unused projects.`
			);
		}
		try {
			await docker.createNetwork({
				Name: name,
				Driver: 'bridge',
				CheckDuplicate: true,
				IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] },
				Labels: { [LABEL.managed]: '1', [LABEL.project]: projectId },
				Options: { 'com.docker.network.bridge.enable_icc': 'true' }
			});
			return name;
		} catch (error) {
			// Two deploys of one project racing to create it: the other one won.
			if ((error as { statusCode?: number }).statusCode === 409) return name;
			// Another project's network took this subnet meanwhile: pick again.
			if (isOverlap(error)) {
				failed.push(subnet);
				continue;
			}
			throw error;
		}
	}
	throw new Error(`Could not create the network ${name}: every subnet tried was taken meanwhile.`);
}

export async function removeProjectNetwork(projectId: string): Promise<void> {
	try {
		await getDocker().getNetwork(networkName(projectId)).remove();
	} catch (error) {
		if ((error as { statusCode?: number }).statusCode !== 404) throw error;
	}
}
