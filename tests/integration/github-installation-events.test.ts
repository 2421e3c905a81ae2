import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneGithubDeliveries } from '../../src/lib/server/github/webhooks/process.ts';
import { EXAMPLE_REPO, examplePayload, startWebhookWorld } from '../helpers/github-webhooks.ts';

// Installation, installation_repositories and repository events: the project warns and stops
// auto-deploying. Needs a current build (`SLIPWAY_BUILD_DIR=build-x npx vite build`).

let world: Awaited<ReturnType<typeof startWebhookWorld>>;
let t: typeof world.t;
let projectId: string;

beforeAll(async () => {
	world = await startWebhookWorld('gh_install_events');
	({ t, projectId } = world);
});
afterAll(() => world?.stop());

/** A recorded push to master of the example repository, with our own commit. */
function pushExample(after: string, message: string) {
	const p = examplePayload<{ after: string; head_commit: { message: string } }>(
		'push',
		(e) => e.ref === 'refs/heads/master'
	);
	p.after = after;
	p.head_commit.message = message;
	return p;
}
const latestDeployment = async () =>
	(
		await t.db.execute<{ commit_sha: string; state: string; failure_reason: string | null }>(
			sql`select commit_sha, state, failure_reason from deployments
				where project_id = ${projectId} order by created_at desc limit 1`
		)
	)[0];

describe('installation and repository events', () => {
	const linkOf = async () => {
		const [row] = await t.db.execute<{
			full_name: string;
			disconnected: boolean;
			reason: string | null;
		}>(sql`select full_name, disconnected_at is not null as disconnected,
			disconnected_reason as reason from project_github_repos where project_id = ${projectId}`);
		return row;
	};
	const installationEvent = (action: string) => {
		const p = examplePayload<{ installation: { id: number; account: { login: string } } }>(
			'installation',
			(e) => e.action === action
		);
		p.installation.id = 1;
		p.installation.account.login = 'Codertocat';
		return p;
	};
	const deliverAndRun = async (event: string, payload: unknown) => {
		expect((await world.deliverAndRun(event, payload)).status).toBe(202);
	};

	it('suspending the App disconnects the project; unsuspending reconnects it', async () => {
		await deliverAndRun('installation', installationEvent('suspend'));
		expect(await linkOf()).toMatchObject({
			disconnected: true,
			reason: expect.stringMatching(/suspended on Codertocat/)
		});
		const [inst] = await t.db.execute<{ suspended: boolean }>(
			sql`select suspended_at is not null as suspended from github_installations where id = 1`
		);
		expect(inst.suspended).toBe(true);
		await deliverAndRun('installation', installationEvent('unsuspend'));
		expect(await linkOf()).toMatchObject({ disconnected: false, reason: null });
	});

	it('uninstalling the App disconnects the project and the next push does not deploy', async () => {
		await deliverAndRun('installation', installationEvent('deleted'));
		expect(await linkOf()).toMatchObject({
			disconnected: true,
			reason: expect.stringMatching(/uninstalled from Codertocat.*reinstall/)
		});
		await deliverAndRun('push', pushExample('b'.repeat(40), 'After uninstall'));
		expect(await latestDeployment()).toMatchObject({
			commit_sha: 'b'.repeat(40),
			state: 'skipped',
			failure_reason: expect.stringMatching(/disconnected.*uninstalled/)
		});
		// Reconnect for the next case (another helper builds the Reconnect button).
		await t.db.execute(
			sql`update project_github_repos set disconnected_at = null, disconnected_reason = null`
		);
	});

	it('a renamed repository warns with the new name and stops auto-deploying', async () => {
		const renamed = examplePayload<{
			repository: { id: number; full_name: string };
			changes: { repository: { name: { from: string } } };
		}>('repository', (e) => e.action === 'renamed');
		renamed.repository.id = EXAMPLE_REPO.id;
		renamed.repository.full_name = 'Codertocat/Hello-Universe';
		await deliverAndRun('repository', renamed);
		expect(await linkOf()).toEqual({
			full_name: 'Codertocat/Hello-Universe',
			disconnected: true,
			reason: expect.stringMatching(
				/renamed from Codertocat\/Hello-World to Codertocat\/Hello-Universe/
			)
		});
	});

	it('a repository removed from the installation disconnects its project', async () => {
		await t.db.execute(
			sql`update project_github_repos set disconnected_at = null, disconnected_reason = null`
		);
		const removed = examplePayload<{
			installation: { id: number };
			repositories_removed: { id: number; full_name: string }[];
		}>('installation_repositories', (e) => e.action === 'removed');
		removed.installation.id = 1;
		removed.repositories_removed[0].id = EXAMPLE_REPO.id;
		await deliverAndRun('installation_repositories', removed);
		expect(await linkOf()).toMatchObject({
			disconnected: true,
			reason: expect.stringMatching(/removed from the GitHub App's access/)
		});
	});

	it('a connected project deploys a pull request again; a disconnected one records why it did not', async () => {
		await t.db.execute(
			sql`update project_github_repos set disconnected_at = null, disconnected_reason = null`
		);
		const deleted = examplePayload<{ action: string; repository: { id: number } }>(
			'repository',
			(e) => e.action === 'renamed'
		);
		deleted.action = 'deleted';
		deleted.repository.id = EXAMPLE_REPO.id;
		await deliverAndRun('repository', deleted);
		const pr = examplePayload<{
			number: number;
			pull_request: { head: { sha: string } };
		}>('pull_request', (e) => e.action === 'opened');
		pr.pull_request.head.sha = 'd'.repeat(40);
		await deliverAndRun('pull_request', pr);
		expect(await latestDeployment()).toMatchObject({
			commit_sha: 'd'.repeat(40),
			state: 'skipped',
			failure_reason: expect.stringMatching(/disconnected.*was deleted on GitHub/)
		});
	});
});

describe('delivery retention', () => {
	it('forgets deliveries after a week, and keeps newer ones for replay detection', async () => {
		const [{ n }] = await t.db.execute<{ n: number }>(
			sql`select count(*)::int as n from github_deliveries`
		);
		expect(n).toBeGreaterThan(0);
		await t.db.execute(sql`update github_deliveries set received_at = now() - interval '8 days'
			where id = (select id from github_deliveries order by received_at limit 1)`);
		expect(await pruneGithubDeliveries(t.db)).toBe(1);
		const [after] = await t.db.execute<{ n: number }>(
			sql`select count(*)::int as n from github_deliveries`
		);
		expect(after.n).toBe(n - 1);
	});
});
