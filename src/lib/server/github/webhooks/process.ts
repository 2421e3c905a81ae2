import { eq, lt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { githubDeliveries } from '../../db/schema/index.ts';
import { logger } from '../../log.ts';
import {
	handleInstallation,
	handleInstallationRepositories,
	handleRepository
} from './handle-installation.ts';
import { handlePullRequest } from './handle-pull-request.ts';
import { handlePush, type WebhookDeps } from './handle-push.ts';
import {
	installationPayload,
	installationRepositoriesPayload,
	pullRequestPayload,
	pushPayload,
	repositoryPayload
} from './payloads.ts';

/**
 * Acts on one stored delivery, then marks it processed and drops its payload. A delivery already
 * processed (a job that ran twice) is left alone. Payloads without the fields we need are logged
 * and marked processed: retrying would not give them those fields.
 */
export async function processGithubDelivery(deps: WebhookDeps, deliveryId: string) {
	const [delivery] = await deps.db
		.select()
		.from(githubDeliveries)
		.where(eq(githubDeliveries.id, deliveryId));
	if (!delivery || delivery.processedAt || delivery.payload === null) return null;
	// Postgres text cannot hold NUL characters (a commit message may carry one): drop them.
	const raw: unknown = JSON.parse(delivery.payload, (_key, value: unknown) =>
		typeof value === 'string' ? value.replaceAll('\0', '') : value
	);
	const parse = <S extends z.ZodType>(schema: S) => {
		const parsed = schema.safeParse(raw);
		if (!parsed.success) {
			logger().warn(
				{ deliveryId, event: delivery.event, issues: parsed.error.issues.slice(0, 3) },
				'github delivery lacks the fields Slipway needs; ignored'
			);
			return null;
		}
		return parsed.data as z.infer<S>;
	};
	let result: unknown = null;
	switch (delivery.event) {
		case 'push': {
			const p = parse(pushPayload);
			if (p) result = await handlePush(deps, p, delivery.receivedAt);
			break;
		}
		case 'pull_request': {
			const p = parse(pullRequestPayload);
			if (p) result = await handlePullRequest(deps, p, delivery.receivedAt);
			break;
		}
		case 'installation': {
			const p = parse(installationPayload);
			if (p) result = await handleInstallation(deps.db, p);
			break;
		}
		case 'installation_repositories': {
			const p = parse(installationRepositoriesPayload);
			if (p) result = await handleInstallationRepositories(deps.db, p);
			break;
		}
		case 'repository': {
			const p = parse(repositoryPayload);
			if (p) result = await handleRepository(deps.db, p);
			break;
		}
	}
	await deps.db
		.update(githubDeliveries)
		.set({ processedAt: new Date(), payload: null })
		.where(eq(githubDeliveries.id, deliveryId));
	return result;
}

/** Deliveries are kept a week (GitHub redelivers within days at most), then forgotten. */
export async function pruneGithubDeliveries(db: Db, olderThanDays = 7) {
	const removed = await db
		.delete(githubDeliveries)
		.where(lt(githubDeliveries.receivedAt, sql`now() - make_interval(days => ${olderThanDays})`))
		.returning({ id: githubDeliveries.id });
	return removed.length;
}
