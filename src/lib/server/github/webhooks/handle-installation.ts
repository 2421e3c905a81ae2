import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { githubInstallations, projectGithubRepos } from '../../db/schema/index.ts';
import type {
	InstallationPayload,
	InstallationRepositoriesPayload,
	RepositoryPayload
} from './payloads.ts';

type Installation = InstallationPayload['installation'];

const accountOf = (i: Installation) => i.account?.login ?? `installation ${i.id}`;

/** Why a project stopped deploying: shown on the project until someone reconnects it. */
export const disconnectReasons = {
	uninstalled: (account: string) =>
		`The GitHub App was uninstalled from ${account}: reinstall it on GitHub, then reconnect the repository.`,
	suspended: (account: string) =>
		`The GitHub App was suspended on ${account}: unsuspend it in ${account}'s GitHub settings (Applications → Installed GitHub Apps).`,
	removedFromInstallation: (repo: string, account: string) =>
		`The repository ${repo} was removed from the GitHub App's access on ${account}: give the App access to it again on GitHub, then reconnect.`,
	renamed: (from: string, to: string) =>
		`The repository was renamed from ${from} to ${to} on GitHub: check the new name, then reconnect the repository.`,
	transferred: (from: string, to: string) =>
		`The repository ${from} was transferred to ${to} on GitHub: make sure the GitHub App is installed there, then reconnect the repository.`,
	deleted: (repo: string) =>
		`The repository ${repo} was deleted on GitHub: connect another repository, or deploy with a deploy hook.`
};

/** Marks repo links as disconnected; the first time is kept, the reason is the latest. */
async function disconnect(db: Db, where: SQL | undefined, reason: string, fullName?: string) {
	return db
		.update(projectGithubRepos)
		.set({
			disconnectedAt: sql`coalesce(${projectGithubRepos.disconnectedAt}, now())`,
			disconnectedReason: reason,
			...(fullName ? { fullName } : {}),
			updatedAt: new Date()
		})
		.where(where)
		.returning({ projectId: projectGithubRepos.projectId });
}

/** Keeps github_installations in step with GitHub; every installation event carries the full row. */
export async function upsertInstallation(db: Db, installation: Installation) {
	const values = {
		id: installation.id,
		accountLogin: accountOf(installation),
		accountType: installation.account?.type ?? 'User',
		repositorySelection: installation.repository_selection,
		updatedAt: new Date()
	};
	await db
		.insert(githubInstallations)
		.values(values)
		.onConflictDoUpdate({ target: githubInstallations.id, set: values });
}

/**
 * installation created / deleted / suspend / unsuspend / new_permissions_accepted. Removing or
 * suspending the App disconnects every project on it. Unsuspending reconnects exactly the projects
 * the suspension disconnected: the owner deliberately resumed the App, nothing else changed, and
 * GitHub only delivers events for repositories the App can still see.
 */
export async function handleInstallation(db: Db, payload: InstallationPayload) {
	const { installation } = payload;
	const account = accountOf(installation);
	await upsertInstallation(db, installation);
	const byInstallation = eq(projectGithubRepos.installationId, installation.id);
	const mark = (set: Partial<typeof githubInstallations.$inferInsert>) =>
		db.update(githubInstallations).set(set).where(eq(githubInstallations.id, installation.id));
	switch (payload.action) {
		case 'created':
			await mark({ removedAt: null, suspendedAt: null });
			return { disconnected: 0 };
		case 'deleted': {
			await mark({ removedAt: new Date() });
			const rows = await disconnect(db, byInstallation, disconnectReasons.uninstalled(account));
			return { disconnected: rows.length };
		}
		case 'suspend': {
			await mark({ suspendedAt: new Date(installation.suspended_at ?? Date.now()) });
			const rows = await disconnect(db, byInstallation, disconnectReasons.suspended(account));
			return { disconnected: rows.length };
		}
		case 'unsuspend': {
			await mark({ suspendedAt: null });
			await db
				.update(projectGithubRepos)
				.set({ disconnectedAt: null, disconnectedReason: null, updatedAt: new Date() })
				.where(
					and(
						byInstallation,
						eq(projectGithubRepos.disconnectedReason, disconnectReasons.suspended(account))
					)
				);
			return { disconnected: 0 };
		}
		default:
			return { disconnected: 0 };
	}
}

/** installation_repositories removed: the projects on those repositories stop deploying. */
export async function handleInstallationRepositories(
	db: Db,
	payload: InstallationRepositoriesPayload
) {
	await upsertInstallation(db, payload.installation);
	if (payload.action !== 'removed' || payload.repositories_removed.length === 0) {
		return { disconnected: 0 };
	}
	const account = accountOf(payload.installation);
	let disconnected = 0;
	for (const repo of payload.repositories_removed) {
		const rows = await disconnect(
			db,
			and(
				eq(projectGithubRepos.installationId, payload.installation.id),
				eq(projectGithubRepos.repoId, repo.id)
			),
			disconnectReasons.removedFromInstallation(repo.full_name, account)
		);
		disconnected += rows.length;
	}
	return { disconnected };
}

/** repository renamed / transferred / deleted: the project warns and stops auto-deploying. */
export async function handleRepository(db: Db, payload: RepositoryPayload) {
	const repo = payload.repository;
	const byRepo = eq(projectGithubRepos.repoId, repo.id);
	const links = await db
		.select({ fullName: projectGithubRepos.fullName })
		.from(projectGithubRepos)
		.where(byRepo);
	if (links.length === 0) return { disconnected: 0 };
	const before = links[0].fullName;
	let rows: { projectId: string }[] = [];
	if (payload.action === 'renamed') {
		rows = await disconnect(
			db,
			byRepo,
			disconnectReasons.renamed(before, repo.full_name),
			repo.full_name
		);
	} else if (payload.action === 'transferred') {
		const owner = repo.owner?.login ?? repo.full_name.split('/')[0];
		rows = await disconnect(
			db,
			byRepo,
			disconnectReasons.transferred(before, owner),
			repo.full_name
		);
	} else if (payload.action === 'deleted') {
		rows = await disconnect(db, byRepo, disconnectReasons.deleted(before));
	}
	return { disconnected: rows.length };
}
