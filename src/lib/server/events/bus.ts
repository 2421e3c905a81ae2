import type { Redis } from 'ioredis';
import { logger } from '../log.ts';

/**
 * The live feed (architecture.md): every state change and log batch goes to Postgres (the
 * record) and to a Redis Stream (the feed). Streams are trimmed (`MAXLEN ~`) and expire when
 * idle, so Redis stays small; losing Redis loses no data, only liveness.
 */
export const streamKeys = {
	deployment: (id: string) => `slipway:deployment:${id}`,
	project: (id: string) => `slipway:project:${id}`,
	team: (id: string) => `slipway:team:${id}`
};

const MAXLEN = { deployment: 5000, feed: 500 } as const;
const IDLE_EXPIRY_SECONDS = 24 * 3600;

export type LogEntryEvent = { id: number; stream: string; line: string; at: string };

/** Fields a list or a page needs to show a deployment change without a refetch. */
export type DeploymentSummary = {
	id: string;
	projectId: string;
	environmentId: string | null;
	branch: string;
	commitSha: string | null;
	commitMessage: string | null;
	trigger: string;
	state: string;
	failureStage: string | null;
	failureReason: string | null;
	createdAt: string;
	readyAt: string | null;
	finishedAt: string | null;
};

export type DeploymentEvent =
	| { type: 'logs'; entries: LogEntryEvent[] }
	| { type: 'state'; deployment: DeploymentSummary }
	/** The back-fill started `omitted` lines after the first one (the client asked for a tail). */
	| { type: 'truncated'; omitted: number }
	/** No more log lines will come for this deployment. */
	| { type: 'end' };

export type FeedEvent = { type: 'deployment'; deployment: DeploymentSummary };

let provider: (() => Promise<Redis>) | null = null;
let warned = false;

/** Web and worker call this once at start; without it publishing is a no-op (unit tests). */
export function setEventBus(redis: (() => Promise<Redis>) | null) {
	provider = redis;
}

/**
 * Appends an event to a stream. Never throws and never waits long: with Redis down the
 * deployment goes on and the record in Postgres is complete; live views catch up from it.
 */
export async function publish(
	key: string,
	event: DeploymentEvent | FeedEvent,
	maxlen: number = MAXLEN.feed
): Promise<string | null> {
	if (!provider) return null;
	try {
		const redis = await provider();
		if (redis.status === 'wait') await redis.connect();
		const [[, id]] = (await redis
			.multi()
			.xadd(key, 'MAXLEN', '~', maxlen, '*', 'e', JSON.stringify(event))
			.expire(key, IDLE_EXPIRY_SECONDS)
			.exec()) as [[Error | null, string], [Error | null, number]];
		warned = false;
		return id;
	} catch (error) {
		if (!warned) logger().warn({ err: error }, 'live feed unavailable (Redis); deployments go on');
		warned = true;
		return null;
	}
}

export function publishDeploymentEvent(deploymentId: string, event: DeploymentEvent) {
	return publish(streamKeys.deployment(deploymentId), event, MAXLEN.deployment);
}

/** A state change goes to the deployment's own stream and to its project's and team's feeds. */
export async function publishDeploymentChange(
	summary: DeploymentSummary,
	teamId: string | null
): Promise<void> {
	await Promise.all([
		publishDeploymentEvent(summary.id, { type: 'state', deployment: summary }),
		publish(streamKeys.project(summary.projectId), { type: 'deployment', deployment: summary }),
		teamId ? publish(streamKeys.team(teamId), { type: 'deployment', deployment: summary }) : null
	]);
}
