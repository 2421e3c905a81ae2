import { error } from '@sveltejs/kit';
import { requireUser } from '../require-user';

/** The admin area is for instance admins only; anyone else gets a 403 that says so. */
export function requireAdmin(locals: App.Locals, url: URL) {
	const { user, sessionId } = requireUser(locals, url);
	if (!user.isInstanceAdmin) {
		error(403, 'Only instance admins can open the admin area');
	}
	return { user, sessionId };
}
