import { githubDeliveries } from '../../db/schema/index.ts';
import type { Db } from '../../db/client.ts';
import type { Keyring } from '../../crypto/secret-box.ts';
import { addJob } from '../../jobs/enqueue.ts';
import { logger } from '../../log.ts';
import { loadGithubApp } from '../app.ts';
import { BodyTooLarge, readBodyCapped } from './read-body.ts';
import { verifyWebhookSignature } from './signature.ts';

/** What the App subscribes to; anything else is acknowledged and dropped. */
export const HANDLED_EVENTS = [
	'push',
	'pull_request',
	'installation',
	'installation_repositories',
	'repository'
] as const;

export type WebhookReply = { status: number; message: string };

const reply = (status: number, message: string): WebhookReply => ({ status, message });

/** GitHub's delivery ids are GUIDs; anything else is not a delivery of theirs. */
const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;

/**
 * POST /api/webhooks/github. In this order: the App must exist (its secret signs deliveries),
 * the body must fit the cap, the signature must match the raw bytes, and only then is the JSON
 * parsed. A delivery is stored once (`X-GitHub-Delivery`) together with the job that handles
 * it, so GitHub gets its answer fast and a redelivery does nothing twice.
 */
export async function receiveGithubWebhook(
	ctx: { db: Db; keyring: Keyring },
	request: Request
): Promise<WebhookReply> {
	const app = await loadGithubApp(ctx.db, ctx.keyring);
	if (!app) {
		return reply(
			503,
			'GitHub is not connected to this instance: an instance admin creates the GitHub App under Admin → GitHub.'
		);
	}
	let body: Uint8Array;
	try {
		body = await readBodyCapped(request);
	} catch (error) {
		if (error instanceof BodyTooLarge) {
			return reply(413, 'Payload too large: GitHub sends at most 25 MB.');
		}
		throw error;
	}
	const signature = request.headers.get('x-hub-signature-256');
	if (!verifyWebhookSignature({ secret: app.webhookSecret, body, header: signature })) {
		return reply(
			401,
			signature
				? 'The X-Hub-Signature-256 signature does not match: is the webhook secret the one of this instance’s GitHub App?'
				: 'Missing X-Hub-Signature-256: GitHub signs every delivery with the App’s webhook secret.'
		);
	}
	const event = request.headers.get('x-github-event') ?? '';
	const deliveryId = request.headers.get('x-github-delivery') ?? '';
	if (!event || !DELIVERY_ID.test(deliveryId)) {
		return reply(400, 'Missing X-GitHub-Event or X-GitHub-Delivery header.');
	}
	let payload: unknown;
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(body);
		payload = JSON.parse(text);
	} catch {
		return reply(400, 'The body is not valid JSON.');
	}
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
		return reply(400, 'The body is not a JSON object.');
	}
	if (event === 'ping') return reply(200, 'pong');
	if (!(HANDLED_EVENTS as readonly string[]).includes(event)) {
		// Not stored: the App does not subscribe to it, so there is nothing to do or replay.
		return reply(202, `Ignored: Slipway does not act on ${event} events.`);
	}
	const accepted = await ctx.db.transaction(async (tx) => {
		const [row] = await tx
			.insert(githubDeliveries)
			.values({ id: deliveryId, event, payload: text })
			.onConflictDoNothing()
			.returning({ id: githubDeliveries.id });
		if (!row) return false;
		await addJob(
			tx,
			'github_event',
			{ deliveryId },
			{
				jobKey: `github_event:${deliveryId}`,
				// Events of one repository (or installation) are handled in the order they came.
				queueName: `github:${orderingKey(payload)}`,
				maxAttempts: 5
			}
		);
		return true;
	});
	if (!accepted) return reply(200, 'Already received: this delivery was handled before.');
	logger().info({ event, deliveryId }, 'github webhook queued');
	return reply(202, 'Queued.');
}

function orderingKey(payload: object): string {
	const p = payload as { repository?: { id?: unknown }; installation?: { id?: unknown } };
	if (typeof p.repository?.id === 'number') return `repo:${p.repository.id}`;
	if (typeof p.installation?.id === 'number') return `installation:${p.installation.id}`;
	return 'other';
}
