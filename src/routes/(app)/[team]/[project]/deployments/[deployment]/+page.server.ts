import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { users } from '$lib/server/db/schema';
import { aliasKey, type AliasTarget } from '$lib/server/proxy/hostnames';
import { getRuntime } from '$lib/server/runtime';
import { orNotFound, pageCaller } from '../../../../caller';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The deployment through the API as the signed-in user, who started it, and where it goes live. */
export const load: PageServerLoad = async (event) => {
	const { params } = event;
	const { role } = await event.parent();
	if (!UUID.test(params.deployment)) error(404, 'Deployment not found');
	const deployment = await orNotFound(
		pageCaller(event).deployments.get({ teamSlug: params.team, deploymentId: params.deployment }),
		'Deployment'
	);
	if (deployment.project.slug !== params.project) error(404, 'Deployment not found');
	const [creator] = deployment.createdBy
		? await getRuntime()
				.db.select({ name: users.name })
				.from(users)
				.where(eq(users.id, deployment.createdBy))
		: [];
	const { configSnapshot, ...rest } = deployment;
	const snapshot = configSnapshot as { alias: AliasTarget; environment: string };
	return {
		role,
		deployment: { ...rest, target: aliasKey(snapshot.alias), environment: snapshot.environment },
		createdByName: creator?.name ?? null
	};
};
