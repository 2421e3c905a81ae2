import { expect, test } from './test.ts';
import { eq } from 'drizzle-orm';
import {
	pullRequestApprovals,
	teamMembers,
	teams,
	users
} from '../../src/lib/server/db/schema/index.ts';
import { projectFromFixture } from '../helpers/deploy.ts';
import { removeGitRepos } from '../helpers/git-repo.ts';
import { logIn, logOut, newUser, signUp } from './helpers.ts';
import { e2eDb } from './instance.ts';

test.afterAll(removeGitRepos);

test('a fork pull request waits on the project page: read-only for a viewer, approved by an owner', async ({
	page
}) => {
	const owner = newUser('owner');
	const teamPath = await signUp(page, owner);
	await logOut(page);
	const viewer = newUser('viewer');
	await signUp(page, viewer);

	// What a pull_request webhook from a fork records (tests/integration/github-previews.test.ts).
	const { db, close } = e2eDb();
	let projectPath: string;
	try {
		const [team] = await db
			.select()
			.from(teams)
			.where(eq(teams.slug, teamPath.slice(1)));
		const [ownerRow] = await db.select().from(users).where(eq(users.email, owner.email));
		const [viewerRow] = await db.select().from(users).where(eq(users.email, viewer.email));
		await db.insert(teamMembers).values({ teamId: team.id, userId: viewerRow.id, role: 'viewer' });
		const { project, repo } = await projectFromFixture({
			db,
			teamId: team.id,
			userId: ownerRow.id,
			app: 'static-site',
			settings: { name: `Forked ${Date.now().toString(36)}` }
		});
		await db.insert(pullRequestApprovals).values({
			projectId: project.id,
			number: 12,
			headSha: repo.commits[0],
			headRef: 'fix-footer',
			headRepoFullName: 'mallory/site',
			headCloneUrl: 'https://github.com/mallory/site.git',
			title: 'Fix the footer',
			authorLogin: 'mallory'
		});
		projectPath = `${teamPath}/${project.slug}`;
	} finally {
		await close();
	}

	await page.goto(projectPath);
	const card = page.getByTestId('fork-pull-requests');
	await expect(card).toContainText('#12 Fix the footer');
	await expect(card).toContainText('mallory/site:fix-footer');
	await expect(card).toContainText('Waiting for a member to approve');
	await expect(page.getByRole('button', { name: /Approve/ })).toHaveCount(0);
	await logOut(page);

	await logIn(page, owner.email, owner.password);
	await page.goto(projectPath);
	await page.getByRole('button', { name: 'Approve and deploy pull request #12' }).click();
	await expect(card).toContainText(`Approved by ${owner.name}`);
	await expect(page.getByRole('list', { name: 'Latest deployments' })).toContainText('fix-footer');
});
