import { getDocker, isAlreadyDone, LABEL } from './client.ts';

export type ContainerSpec = {
	name: string;
	image: string;
	env: Record<string, string>;
	labels: Record<string, string>;
	port: number;
	network: string;
	memoryMb: number;
	cpuMillicores: number;
	pidsLimit: number;
	/** Host address the app port is published on (an ephemeral port). */
	bindIp: string;
};

/**
 * Creates and starts a hardened app container: non-root, every capability dropped,
 * no-new-privileges, an init process (so SIGTERM reaches the app), memory/CPU/PID limits and
 * bounded log files. The restart policy stays "no" until the app passed its health check, so a
 * crash at start is seen as a crash instead of a restart loop.
 */
export async function startContainer(
	spec: ContainerSpec
): Promise<{ id: string; hostPort: number }> {
	const docker = getDocker();
	const portKey = `${spec.port}/tcp`;
	const memory = spec.memoryMb * 1024 * 1024;
	// Options go in _body only: dockerode otherwise copies them into the URL too, env included.
	const container = await docker.createContainer({
		_query: { name: spec.name },
		_body: {
			Image: spec.image,
			Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
			Labels: { [LABEL.managed]: '1', ...spec.labels },
			User: '10001:10001',
			ExposedPorts: { [portKey]: {} },
			HostConfig: {
				Init: true,
				CapDrop: ['ALL'],
				SecurityOpt: ['no-new-privileges'],
				Memory: memory,
				MemorySwap: memory,
				NanoCpus: spec.cpuMillicores * 1_000_000,
				PidsLimit: spec.pidsLimit,
				RestartPolicy: { Name: 'no' },
				PortBindings: { [portKey]: [{ HostIp: spec.bindIp, HostPort: '' }] },
				NetworkMode: spec.network,
				LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } }
			}
		}
	} as never);
	await container.start();
	const info = await container.inspect();
	const binding = info.NetworkSettings.Ports?.[portKey]?.[0];
	if (!binding) throw new Error(`container ${info.Id} published no port for ${portKey}`);
	return { id: info.Id, hostPort: Number(binding.HostPort) };
}

export type ContainerStatus = {
	exists: boolean;
	running: boolean;
	exitCode: number | null;
	oomKilled: boolean;
	hostPort: number | null;
};

export async function inspectContainer(id: string, port?: number): Promise<ContainerStatus> {
	try {
		const info = await getDocker().getContainer(id).inspect();
		const binding = port ? info.NetworkSettings.Ports?.[`${port}/tcp`]?.[0] : undefined;
		return {
			exists: true,
			running: info.State.Running,
			exitCode: info.State.Running ? null : info.State.ExitCode,
			oomKilled: info.State.OOMKilled,
			hostPort: binding ? Number(binding.HostPort) : null
		};
	} catch (error) {
		if (!isAlreadyDone(error)) throw error;
		return { exists: false, running: false, exitCode: null, oomKilled: false, hostPort: null };
	}
}

/** After the health check passed: come back after a crash, a daemon restart or a reboot. */
export async function keepRunning(id: string): Promise<void> {
	await getDocker()
		.getContainer(id)
		.update({ RestartPolicy: { Name: 'unless-stopped' } });
}

export async function startExisting(id: string): Promise<void> {
	try {
		await getDocker().getContainer(id).start();
	} catch (error) {
		if ((error as { statusCode?: number }).statusCode !== 304) throw error;
	}
}

export async function stopContainer(id: string, timeoutSeconds = 10): Promise<void> {
	try {
		await getDocker().getContainer(id).stop({ t: timeoutSeconds });
	} catch (error) {
		if (!isAlreadyDone(error)) throw error;
	}
}

export async function removeContainer(id: string): Promise<void> {
	try {
		await getDocker().getContainer(id).remove({ force: true, v: true });
	} catch (error) {
		if (!isAlreadyDone(error)) throw error;
	}
}

/** Containers Slipway created (of one instance, or of one project). */
export async function listManagedContainers(filter: { project?: string; instance?: string } = {}) {
	const labels = [`${LABEL.managed}=1`];
	if (filter.instance) labels.push(`${LABEL.instance}=${filter.instance}`);
	if (filter.project) labels.push(`${LABEL.project}=${filter.project}`);
	return getDocker().listContainers({ all: true, filters: { label: labels } });
}
