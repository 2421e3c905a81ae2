import Docker from 'dockerode';

let docker: Docker | undefined;

/** The only Docker client. Only the worker may call this: engine access is root on the host. */
export function getDocker(
	socketPath = process.env.DOCKER_SOCKET ?? '/var/run/docker.sock'
): Docker {
	docker ??= new Docker({ socketPath });
	return docker;
}

/** Docker answers 304 for "already stopped" and 404 for "already gone": both mean done. */
export function isAlreadyDone(error: unknown): boolean {
	const status = (error as { statusCode?: number }).statusCode;
	return status === 304 || status === 404;
}

export const LABEL = {
	managed: 'dev.slipway.managed',
	instance: 'dev.slipway.instance',
	project: 'dev.slipway.project',
	deployment: 'dev.slipway.deployment',
	team: 'dev.slipway.team'
} as const;
