import { getDocker, LABEL } from './client.ts';

/**
 * One bridge network per project: its containers reach each other and the internet, but not
 * the apps of other projects nor the platform's own services on other networks.
 */
export async function ensureProjectNetwork(projectId: string): Promise<string> {
	const name = `slipway-p-${projectId.slice(0, 12)}`;
	const docker = getDocker();
	const existing = await docker.listNetworks({ filters: { name: [name] } });
	if (existing.some((n) => n.Name === name)) return name;
	try {
		await docker.createNetwork({
			Name: name,
			Driver: 'bridge',
			Labels: { [LABEL.managed]: '1', [LABEL.project]: projectId },
			Options: { 'com.docker.network.bridge.enable_icc': 'true' }
		});
	} catch (error) {
		// Two deploys of one project racing to create it: the other one won.
		if ((error as { statusCode?: number }).statusCode !== 409) throw error;
	}
	return name;
}

export async function removeProjectNetwork(projectId: string): Promise<void> {
	const name = `slipway-p-${projectId.slice(0, 12)}`;
	try {
		await getDocker().getNetwork(name).remove();
	} catch (error) {
		if ((error as { statusCode?: number }).statusCode !== 404) throw error;
	}
}
