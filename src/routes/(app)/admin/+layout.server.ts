import { requireAdmin } from './require-admin';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
	requireAdmin(locals, url);
};
