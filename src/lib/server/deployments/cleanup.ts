import { getDocker } from '../docker/client.ts';
import { listManagedContainers, removeContainer } from '../docker/containers.ts';
import { removeImage } from '../docker/build.ts';
import { removeProjectNetwork } from '../docker/networks.ts';

/**
 * Removes every container, image and the network Slipway made for a project. Images are found by
 * their repository `slipway/<project slug>` (labels on images would cost a build step each).
 */
export async function removeProjectResources(args: { projectId: string; projectSlug: string }) {
	const containers = await listManagedContainers({ project: args.projectId });
	for (const c of containers) await removeContainer(c.Id);
	const images = await getDocker().listImages({
		filters: { reference: [`slipway/${args.projectSlug}`] }
	});
	for (const image of images) {
		for (const tag of image.RepoTags ?? [image.Id]) await removeImage(tag);
	}
	await removeProjectNetwork(args.projectId);
	return { containers: containers.length, images: images.length };
}
