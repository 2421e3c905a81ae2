import { randomBytes, timingSafeEqual } from 'node:crypto';
import { OAuth2Client, OAuth2RequestError } from 'arctic';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { githubInstallations, teamGithubInstallations } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { GithubAppCredentials } from './app.ts';
import { appClient, explainGithubError, userClient } from './client.ts';

/** The HttpOnly cookie that binds an install link's `state` to the team and the user who opened it. */
export const INSTALL_COOKIE = 'slipway_github_install';
export const INSTALL_COOKIE_MAX_AGE = 60 * 60;

export type InstallCookie = { state: string; teamId: string; userId: string };

/** A fresh install attempt: where to send the browser and what to remember in the cookie. */
export function startInstall(
	app: Pick<GithubAppCredentials, 'webUrl' | 'slug'>,
	args: { teamId: string; userId: string }
): { url: string; cookie: string } {
	const state = randomBytes(24).toString('base64url');
	const url = new URL(`${app.webUrl}/apps/${encodeURIComponent(app.slug)}/installations/new`);
	url.searchParams.set('state', state);
	return {
		url: url.toString(),
		cookie: Buffer.from(
			JSON.stringify({ state, teamId: args.teamId, userId: args.userId })
		).toString('base64url')
	};
}

/** The cookie's content when it matches the `state` GitHub sent back; otherwise null. */
export function checkInstallState(
	cookie: string | undefined,
	state: string | null
): InstallCookie | null {
	if (!cookie || !state) return null;
	let parsed: InstallCookie;
	try {
		parsed = JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8'));
	} catch {
		return null;
	}
	if (
		typeof parsed?.state !== 'string' ||
		typeof parsed.teamId !== 'string' ||
		typeof parsed.userId !== 'string'
	) {
		return null;
	}
	const a = Buffer.from(parsed.state);
	const b = Buffer.from(state);
	return a.length === b.length && timingSafeEqual(a, b) ? parsed : null;
}

/**
 * Links an installation to a team after GitHub confirmed (with the user's own OAuth token from
 * the install redirect) that this user can access it: an installation id in a URL proves nothing.
 */
export async function linkInstallation(
	db: Db,
	app: GithubAppCredentials,
	args: { teamId: string; userId: string; installationId: number; code: string }
) {
	const oauth = new OAuth2Client(app.clientId, app.clientSecret, null);
	let userToken: string;
	try {
		const tokens = await oauth.validateAuthorizationCode(
			`${app.webUrl}/login/oauth/access_token`,
			args.code,
			null
		);
		userToken = tokens.accessToken();
	} catch (error) {
		if (error instanceof OAuth2RequestError) {
			throw new AppError(
				'INVALID',
				'GitHub did not accept the sign-in code of this installation (it may have expired). Start the installation again from the new-project page.',
				{ cause: error }
			);
		}
		throw new AppError(
			'UNAVAILABLE',
			'GitHub could not be reached to confirm the installation. Try again in a moment.',
			{ cause: error }
		);
	}

	let accessible: { id: number }[];
	try {
		accessible = await userClient(app, userToken).paginate('GET /user/installations', {
			per_page: 100
		});
	} catch (error) {
		throw explainGithubError(error, 'list the installations your GitHub account can access');
	}
	if (!accessible.some((i) => i.id === args.installationId)) {
		throw new AppError(
			'FORBIDDEN',
			'Your GitHub account cannot access this installation, so it was not added. Install the App from the new-project page while signed in to GitHub as a member of that account.'
		);
	}

	let details;
	try {
		details = (
			await appClient(app).request('GET /app/installations/{installation_id}', {
				installation_id: args.installationId
			})
		).data;
	} catch (error) {
		throw explainGithubError(error, 'read the installation');
	}
	const account = (details.account ?? {}) as { login?: string; slug?: string; type?: string };
	await db.transaction(async (tx) => {
		const values = {
			accountLogin: account.login ?? account.slug ?? String(details.id),
			accountType: account.type ?? 'Organization',
			repositorySelection: details.repository_selection ?? 'selected',
			suspendedAt: details.suspended_at ? new Date(details.suspended_at) : null,
			removedAt: null,
			updatedAt: new Date()
		};
		await tx
			.insert(githubInstallations)
			.values({ id: details.id, ...values })
			.onConflictDoUpdate({ target: githubInstallations.id, set: values });
		await tx
			.insert(teamGithubInstallations)
			.values({ teamId: args.teamId, installationId: details.id, addedBy: args.userId })
			.onConflictDoNothing();
	});
	return { id: details.id, accountLogin: account.login ?? null };
}

/** The installations a team may import from (removed ones are left out). */
export async function listTeamInstallations(db: Db, teamId: string) {
	return db
		.select({
			id: githubInstallations.id,
			accountLogin: githubInstallations.accountLogin,
			accountType: githubInstallations.accountType,
			repositorySelection: githubInstallations.repositorySelection,
			suspendedAt: githubInstallations.suspendedAt
		})
		.from(teamGithubInstallations)
		.innerJoin(
			githubInstallations,
			eq(githubInstallations.id, teamGithubInstallations.installationId)
		)
		.where(and(eq(teamGithubInstallations.teamId, teamId), isNull(githubInstallations.removedAt)))
		.orderBy(asc(githubInstallations.accountLogin));
}

/** An installation linked to this team, or NOT_FOUND (another team's installation reads the same). */
export async function requireTeamInstallation(db: Db, teamId: string, installationId: number) {
	const [row] = await db
		.select({
			id: githubInstallations.id,
			accountLogin: githubInstallations.accountLogin,
			suspendedAt: githubInstallations.suspendedAt,
			removedAt: githubInstallations.removedAt
		})
		.from(teamGithubInstallations)
		.innerJoin(
			githubInstallations,
			eq(githubInstallations.id, teamGithubInstallations.installationId)
		)
		.where(
			and(
				eq(teamGithubInstallations.teamId, teamId),
				eq(teamGithubInstallations.installationId, installationId)
			)
		);
	if (!row) {
		throw new AppError(
			'NOT_FOUND',
			'GitHub installation not found for this team. Install the App from the new-project page.'
		);
	}
	if (row.removedAt) {
		throw new AppError(
			'UNAVAILABLE',
			`The GitHub App was uninstalled from ${row.accountLogin}. Install it again from the new-project page.`
		);
	}
	return row;
}
