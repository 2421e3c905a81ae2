import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { getDocker } from '../../src/lib/server/docker/client.ts';
import {
	ensureProjectNetwork,
	removeProjectNetwork
} from '../../src/lib/server/docker/networks.ts';

/**
 * Docker's default address pools hold ~30 bridge networks; with one network per project, the
 * 31st project used to fail at start. Project networks now take /24s from Slipway's own pool.
 */
const POOL = '10.213.0.0/16';
const projects = Array.from({ length: 40 }, () => randomUUID());

afterAll(async () => {
	await Promise.all(projects.map((id) => removeProjectNetwork(id).catch(() => {})));
});

describe('project networks', () => {
	it('40 projects each get a network of their own, in the pool, without overlaps', async () => {
		// Two at a time, as two deploys of different projects would race.
		for (let i = 0; i < projects.length; i += 2) {
			await Promise.all(projects.slice(i, i + 2).map((id) => ensureProjectNetwork(id, POOL)));
		}
		const ours = (await getDocker().listNetworks()).filter((n) =>
			projects.some((id) => n.Name === `slipway-p-${id.slice(0, 12)}`)
		);
		expect(ours).toHaveLength(40);
		const subnets = ours.map((n) => n.IPAM?.Config?.[0]?.Subnet);
		expect(new Set(subnets).size).toBe(40);
		for (const s of subnets) expect(s).toMatch(/^10\.213\.\d+\.0\/24$/);
	}, 120_000);

	it('asking again for an existing project network returns it unchanged', async () => {
		const before = await getDocker()
			.getNetwork(`slipway-p-${projects[0].slice(0, 12)}`)
			.inspect();
		expect(await ensureProjectNetwork(projects[0], POOL)).toBe(before.Name);
		const after = await getDocker().getNetwork(before.Name).inspect();
		expect(after.Id).toBe(before.Id);
	});

	it('a full pool fails with a message that says which setting to change', async () => {
		await expect(ensureProjectNetwork(randomUUID(), '10.213.0.0/24')).rejects.toThrow(
			/No free \/24 subnet is left in SLIPWAY_NETWORK_POOL \(10\.213\.0\.0\/24\)/
		);
	});
});
