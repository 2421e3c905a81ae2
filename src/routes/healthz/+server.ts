import { json } from '@sveltejs/kit';

/** Liveness: the process answers. Dependencies are checked by /readyz. */
export const GET = () => json({ ok: true });
