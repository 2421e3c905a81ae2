/** Postgres unique_violation, as postgres.js or drizzle (wrapping it in `cause`) reports it. */
export function isUniqueViolation(error: unknown): boolean {
	const e = error as { code?: string; cause?: { code?: string } };
	return e?.code === '23505' || e?.cause?.code === '23505';
}
