import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentEvent } from '../../src/lib/server/events/bus.ts';
import { setEventBus, streamKeys } from '../../src/lib/server/events/bus.ts';
import { createDeployment } from '../../src/lib/server/deployments/create.ts';
import { createLogWriter } from '../../src/lib/server/logs/writer.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { createGitRepo, sampleApps } from '../helpers/git-repo.ts';
import { closeTestRedis, codeOf, makeUser, testKeyring, testRedis } from '../helpers/world.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let owner: Awaited<ReturnType<typeof makeUser>>;
let outsider: Awaited<ReturnType<typeof makeUser>>;
let project: { id: string; slug: string };

beforeAll(async () => {
	t = await createTestDatabase('live');
	setEventBus(testRedis);
	owner = await makeUser(t.db, 'Watcher');
	outsider = await makeUser(t.db, 'Outsider');
	const repo = await createGitRepo({ files: sampleApps.node });
	project = await owner.caller.projects.create({
		teamSlug: owner.team.slug,
		name: 'live-logs',
		repoUrl: repo.path,
		port: 3000
	});
});
afterAll(async () => {
	setEventBus(null);
	await closeTestRedis();
	await t?.drop();
});

type Item = { id: string; data: DeploymentEvent };

/**
 * Reads a subscription in the background (what an SSE client receives: tracked events arrive
 * as [id, data] here); `until` resolves once `ok` holds, `stop` ends it like a closed tab.
 */
function collect(iterable: AsyncIterable<unknown>) {
	const items: Item[] = [];
	let done = false;
	let failure: unknown = null;
	const iterator = iterable[Symbol.asyncIterator]();
	const running = (async () => {
		try {
			for (;;) {
				const next = await iterator.next();
				if (next.done) break;
				const [id, data] = next.value as [string, DeploymentEvent];
				items.push({ id, data });
			}
		} catch (error) {
			failure = error;
		}
		done = true;
	})();
	const until = async (ok: () => boolean, ms = 5000) => {
		const deadline = Date.now() + ms;
		while (!ok()) {
			if (failure) throw failure;
			if (Date.now() > deadline) throw new Error(`not reached: ${JSON.stringify(items)}`);
			await new Promise((r) => setTimeout(r, 20));
		}
	};
	const lines = () =>
		items.flatMap((i) => (i.data.type === 'logs' ? i.data.entries.map((e) => e.line) : []));
	return {
		items,
		lines,
		until,
		running,
		isDone: () => done,
		failure: () => failure,
		stop: () => iterator.return?.()
	};
}

async function newDeployment() {
	return createDeployment(
		{ db: t.db, keyring: testKeyring },
		{ projectId: project.id, branch: `b-${Math.random().toString(36).slice(2, 8)}`, trigger: 'api' }
	);
}

describe('live deployment logs', () => {
	it('back-fills stored lines, streams new ones, and resumes after the last event without repeats', async () => {
		const d = await newDeployment();
		const writer = createLogWriter({ db: t.db, deploymentId: d.id });
		writer.write('build', 'step 1');
		writer.write('build', 'step 2');
		await writer.flush();

		const first = collect(
			await owner.caller.deployments.follow({ teamSlug: owner.team.slug, deploymentId: d.id })
		);
		await first.until(() => first.lines().length === 2);
		writer.write('stdout', 'live \u001b[32mgreen\u001b[0m line');
		await writer.flush();
		await first.until(() => first.lines().includes('live \u001b[32mgreen\u001b[0m line'));
		const lastId = first.items.at(-1)!.id;
		void first.stop();

		writer.write('stdout', 'while away');
		await writer.flush();
		const resumed = collect(
			await owner.caller.deployments.follow({
				teamSlug: owner.team.slug,
				deploymentId: d.id,
				lastEventId: lastId
			})
		);
		await resumed.until(() => resumed.lines().includes('while away'));
		expect(resumed.lines()).toEqual(['while away']);
		await owner.caller.deployments.cancel({ teamSlug: owner.team.slug, deploymentId: d.id });
		await resumed.until(() => resumed.isDone());
		expect(resumed.items.at(-1)?.data.type).toBe('end');
		expect(resumed.items.some((i) => i.data.type === 'state')).toBe(true);
	});

	it('on request back-fills only the newest lines and says how many it left out', async () => {
		const d = await newDeployment();
		const writer = createLogWriter({ db: t.db, deploymentId: d.id });
		for (let i = 0; i < 50; i++) writer.write('stdout', `line ${i}`);
		await writer.flush();
		const sub = collect(
			await owner.caller.deployments.follow({
				teamSlug: owner.team.slug,
				deploymentId: d.id,
				tail: 10
			})
		);
		await sub.until(() => sub.lines().length === 10);
		expect(sub.items[0].data).toEqual({ type: 'truncated', omitted: 40 });
		expect(sub.lines()[0]).toBe('line 40');
		void sub.stop();
	});

	it('back-fills from Postgres when the stream no longer holds the last event id', async () => {
		const d = await newDeployment();
		const writer = createLogWriter({ db: t.db, deploymentId: d.id });
		for (let i = 0; i < 5; i++) writer.write('stdout', `line ${i}`);
		await writer.flush();
		const first = collect(
			await owner.caller.deployments.follow({ teamSlug: owner.team.slug, deploymentId: d.id })
		);
		await first.until(() => first.lines().length === 5);
		const seenUpTo = first.items.at(-1)!.id;
		// Trimmed away (MAXLEN, expiry, a Redis restart): the stream starts after that id now.
		await (await testRedis()).del(streamKeys.deployment(d.id));
		writer.write('stdout', 'after trim');
		await writer.flush();
		const resumed = collect(
			await owner.caller.deployments.follow({
				teamSlug: owner.team.slug,
				deploymentId: d.id,
				lastEventId: seenUpTo
			})
		);
		await resumed.until(() => resumed.lines().includes('after trim'));
		expect(resumed.lines()).toEqual(['after trim']);
	});

	it('ends at once for a deployment that finished long ago, after its stored lines', async () => {
		const d = await newDeployment();
		const writer = createLogWriter({ db: t.db, deploymentId: d.id });
		writer.write('platform', 'only line');
		await writer.close();
		await owner.caller.deployments.cancel({ teamSlug: owner.team.slug, deploymentId: d.id });
		await t.db.execute(
			`update deployments set finished_at = now() - interval '1 minute' where id = '${d.id}'` as never
		);
		const sub = collect(
			await owner.caller.deployments.follow({ teamSlug: owner.team.slug, deploymentId: d.id })
		);
		await sub.until(() => sub.isDone());
		expect(sub.lines()).toEqual(['only line', 'Cancel requested.']);
	});

	it('refuses another team’s deployment with NOT_FOUND', async () => {
		const d = await newDeployment();
		expect(
			await codeOf(
				outsider.caller.deployments.follow({ teamSlug: owner.team.slug, deploymentId: d.id })
			)
		).toBe('NOT_FOUND');
		expect(
			await codeOf(
				outsider.caller.deployments.follow({ teamSlug: outsider.team.slug, deploymentId: d.id })
			)
		).toBe('NOT_FOUND');
	});
});

describe('live deployment feeds', () => {
	it('tells the project and the team feed about new deployments and state changes', async () => {
		const scope = { teamSlug: owner.team.slug, projectSlug: project.slug };
		const projectFeed = collect(await owner.caller.projects.follow(scope));
		const teamFeed = collect(await owner.caller.teams.follow({ teamSlug: owner.team.slug }));
		await projectFeed.until(() => projectFeed.items.length > 0);
		expect((projectFeed.items[0].data as { type: string }).type).toBe('resync');
		const d = await newDeployment();
		await owner.caller.deployments.cancel({ teamSlug: owner.team.slug, deploymentId: d.id });
		const states = (feed: ReturnType<typeof collect>) =>
			feed.items
				.map(
					(i) => i.data as unknown as { type: string; deployment?: { id: string; state: string } }
				)
				.filter((e) => e.deployment?.id === d.id)
				.map((e) => e.deployment!.state);
		await projectFeed.until(() => states(projectFeed).includes('canceled'));
		await teamFeed.until(() => states(teamFeed).includes('canceled'));
		expect(states(projectFeed)).toEqual(['queued', 'canceled']);
	});

	it('says live updates are unavailable when Redis is down, and pages still load', async () => {
		const { createCaller } = await import('../../src/lib/server/trpc/router.ts');
		const { createRedis } = await import('../../src/lib/server/events/redis.ts');
		const dead = createRedis('redis://127.0.0.1:1');
		const caller = createCaller({
			...(owner.caller as unknown as { _def?: never }),
			db: t.db,
			keyring: testKeyring,
			config: (await import('../helpers/world.ts')).testConfig,
			user: { id: owner.user.id, email: owner.email, name: 'Watcher', isInstanceAdmin: false },
			sessionId: owner.session.id,
			tokenTeamId: null,
			ip: '127.0.0.1',
			userAgent: 'vitest',
			redis: async () => dead
		});
		const scope = { teamSlug: owner.team.slug, projectSlug: project.slug };
		await expect(caller.projects.follow(scope)).rejects.toMatchObject({
			code: 'SERVICE_UNAVAILABLE',
			message: expect.stringMatching(/Live updates are unavailable/)
		});
		expect((await caller.deployments.list(scope)).length).toBeGreaterThan(0);
		dead.disconnect();
	});

	it('keeps storing log lines at full speed while Redis is down', async () => {
		const { createRedis } = await import('../../src/lib/server/events/redis.ts');
		const dead = createRedis('redis://127.0.0.1:1');
		setEventBus(async () => dead);
		try {
			const d = await newDeployment();
			const writer = createLogWriter({ db: t.db, deploymentId: d.id });
			const started = performance.now();
			for (let i = 0; i < 2000; i++) writer.write('stdout', `line ${i}`);
			await writer.close();
			expect(performance.now() - started).toBeLessThan(2000);
			const stored = await owner.caller.deployments.logs({
				teamSlug: owner.team.slug,
				deploymentId: d.id,
				limit: 5000
			});
			expect(stored).toHaveLength(2000);
		} finally {
			setEventBus(testRedis);
			dead.disconnect();
		}
	});
});
