import { fail, redirect } from '@sveltejs/kit';
import { message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { changePasswordSchema, profileSchema } from '$lib/schemas/account';
import { changePassword, hasPassword, updateProfile } from '$lib/server/auth/accounts';
import {
	invalidateUserSessions,
	listUserSessions,
	revokeUserSession
} from '$lib/server/auth/session';
import { disconnectGithub, githubConnection } from '$lib/server/auth/github-login';
import { AppError } from '$lib/server/errors';
import { githubAppSummary, loadGithubApp } from '$lib/server/github/app';
import { takeFlash } from '$lib/server/http/flash';
import { getRuntime } from '$lib/server/runtime';
import { startGithubOAuth } from '$lib/server/auth/github-round-trip';
import { formFailure } from '../../form-failure';
import { requireUser } from '../require-user';
import { revokeSessionSchema } from './schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, cookies }) => {
	const { user, sessionId } = requireUser(locals, url);
	const db = getRuntime().db;
	const [profile, password, sessions, githubApp, github, passwordSet] = await Promise.all([
		superValidate({ name: user.name, email: user.email }, zod4(profileSchema), { id: 'profile' }),
		superValidate(zod4(changePasswordSchema), { id: 'password' }),
		listUserSessions({ db, userId: user.id }),
		githubAppSummary(db),
		githubConnection({ db, userId: user.id }),
		hasPassword(db, user.id)
	]);
	return {
		profile,
		password,
		hasPassword: passwordSet,
		connected: {
			available: Boolean(githubApp),
			github: github ? { login: github.login } : null,
			flash: takeFlash(cookies, url)
		},
		now: Date.now(),
		sessions: sessions.map((s) => ({
			id: s.id,
			current: s.id === sessionId,
			ipAddress: s.ipAddress,
			userAgent: s.userAgent,
			createdAt: s.createdAt,
			lastSeenAt: s.lastSeenAt
		}))
	};
};

export const actions: Actions = {
	profile: async (event) => {
		const { user } = requireUser(event.locals, event.url);
		const form = await superValidate(event, zod4(profileSchema), { id: 'profile' });
		if (!form.valid) return fail(400, { form });
		try {
			await updateProfile({ db: getRuntime().db, userId: user.id, ...form.data });
		} catch (error) {
			return formFailure(form, error);
		}
		return message(form, 'Profile saved.');
	},

	password: async (event) => {
		const { user, sessionId } = requireUser(event.locals, event.url);
		const form = await superValidate(event, zod4(changePasswordSchema), { id: 'password' });
		const { currentPassword, newPassword } = form.data;
		form.data.currentPassword = '';
		form.data.newPassword = '';
		if (!form.valid) return fail(400, { form });
		let outcome: 'changed' | 'set';
		try {
			outcome = await changePassword({
				db: getRuntime().db,
				userId: user.id,
				currentPassword,
				newPassword,
				keepSessionId: sessionId
			});
		} catch (error) {
			return formFailure(form, error);
		}
		return message(
			form,
			outcome === 'set'
				? 'Password set: you can also log in with your email and this password now.'
				: 'Password changed. Every other session was logged out.'
		);
	},

	revokeSession: async (event) => {
		const { user } = requireUser(event.locals, event.url);
		const parsed = revokeSessionSchema.safeParse(
			Object.fromEntries(await event.request.formData())
		);
		if (!parsed.success) {
			return fail(400, { sessions: { ok: false, text: 'That session does not exist.' } });
		}
		const revoked = await revokeUserSession({
			db: getRuntime().db,
			userId: user.id,
			sessionId: parsed.data.sessionId
		});
		return revoked
			? { sessions: { ok: true, text: 'Session revoked: that device is logged out.' } }
			: fail(404, { sessions: { ok: false, text: 'That session had already ended.' } });
	},

	revokeOtherSessions: async (event) => {
		const { user, sessionId } = requireUser(event.locals, event.url);
		const count = await invalidateUserSessions({
			db: getRuntime().db,
			userId: user.id,
			exceptSessionId: sessionId
		});
		const text =
			count === 0
				? 'There were no other sessions.'
				: `Logged out ${count} other session${count === 1 ? '' : 's'}.`;
		return { sessions: { ok: true, text } };
	},

	connectGithub: async ({ locals, url, cookies }) => {
		const { user } = requireUser(locals, url);
		const { db, keyring } = getRuntime();
		const app = await loadGithubApp(db, keyring);
		if (!app) {
			return fail(409, {
				connected: { ok: false, text: 'GitHub is not set up on this instance yet.' }
			});
		}
		redirect(
			303,
			startGithubOAuth({ cookies, url, keyring, app, intent: { kind: 'connect', userId: user.id } })
		);
	},

	disconnectGithub: async ({ locals, url }) => {
		const { user } = requireUser(locals, url);
		try {
			await disconnectGithub({ db: getRuntime().db, userId: user.id });
		} catch (error) {
			if (!(error instanceof AppError)) throw error;
			return fail(error.code === 'NOT_FOUND' ? 404 : 409, {
				connected: { ok: false, text: error.message }
			});
		}
		return { connected: { ok: true, text: 'GitHub disconnected from your account.' } };
	}
};
