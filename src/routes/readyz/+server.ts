import { json } from '@sveltejs/kit';
import { checkReadiness } from '$lib/server/health';
import { getRuntime } from '$lib/server/runtime';

export const GET = async () => {
	const result = await checkReadiness(getRuntime());
	return json(result, { status: result.ok ? 200 : 503 });
};
