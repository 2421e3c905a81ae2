import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { instanceSettings } from '../db/schema/index.ts';

export type InstanceLimits = typeof instanceSettings.$inferSelect;

/** Instance settings with their defaults when the admin never saved any. */
export async function loadInstanceSettings(db: Db): Promise<InstanceLimits> {
	const [row] = await db.select().from(instanceSettings).where(eq(instanceSettings.id, 1));
	if (row) return row;
	const [created] = await db
		.insert(instanceSettings)
		.values({ id: 1 })
		.onConflictDoNothing()
		.returning();
	return created ?? (await db.select().from(instanceSettings).where(eq(instanceSettings.id, 1)))[0];
}

/** A project may ask for at most what the instance allows; asking for more gets the maximum. */
export function clampResources(
	requested: { cpuMillicores?: number; memoryMb?: number },
	limits: InstanceLimits
): { cpuMillicores: number; memoryMb: number } {
	return {
		cpuMillicores: Math.min(
			requested.cpuMillicores ?? limits.defaultCpuMillicores,
			limits.maxCpuMillicores
		),
		memoryMb: Math.min(requested.memoryMb ?? limits.defaultMemoryMb, limits.maxMemoryMb)
	};
}
