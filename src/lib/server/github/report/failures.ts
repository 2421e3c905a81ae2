import type { Db } from '../../db/client.ts';
import { createLogWriter } from '../../logs/writer.ts';

type HttpError = {
	status?: number;
	message?: string;
	response?: { headers?: Record<string, string | undefined>; data?: { message?: string } };
};

/**
 * A GitHub answer that will be the same on every retry: the repository or commit is not there
 * (404, 410), the request is refused as invalid (422, 400), or the App lacks access (401, 403).
 * A 403 or 429 that is a rate limit, a 5xx or a network error is worth retrying with backoff.
 */
export function isPermanent(error: unknown): boolean {
	const e = error as HttpError;
	const status = e.status;
	if (!status) return false;
	if (status === 429 || status >= 500) return false;
	if (status === 403) {
		const h = e.response?.headers ?? {};
		if (h['retry-after'] || h['x-ratelimit-remaining'] === '0') return false;
		if (/rate limit/i.test(e.message ?? '')) return false;
	}
	return status >= 400;
}

/** What a deployment's log says when GitHub refused a report for good. */
export function explainRefusal(error: unknown, doing: string, repo: string): string {
	const e = error as HttpError;
	const detail = (e.response?.data?.message ?? e.message ?? '').slice(0, 200);
	const what = `GitHub refused to ${doing} on ${repo} (${e.status}${detail ? `: ${detail}` : ''}).`;
	if (e.status === 401) {
		return `${what} The GitHub App's credentials do not work any more: an instance admin checks it under Admin → GitHub. The deployment itself is not affected.`;
	}
	if (e.status === 403 || e.status === 404 || e.status === 410) {
		return `${what} The App may have been uninstalled or lost access to the repository, or lacks the permission: reinstall it or grant it the repository on GitHub. The deployment itself is not affected.`;
	}
	return `${what} Slipway does not retry this; the deployment itself is not affected. If the commit is not on GitHub (deployed from elsewhere), this is expected.`;
}

/** A platform line in the deployment's log (a report problem never fails the deployment). */
export async function logPlatformLine(db: Db, deploymentId: string, line: string) {
	const log = createLogWriter({ db, deploymentId });
	log.write('platform', line);
	await log.close();
}

/** A report step failed for good: raised inside the task to end it without retries. */
export class ReportRefused extends Error {
	readonly line: string;
	constructor(line: string, options: { cause: unknown }) {
		super(line, options);
		this.name = 'ReportRefused';
		this.line = line;
	}
}

/** Runs one GitHub call; a permanent refusal becomes ReportRefused, anything else is rethrown. */
export async function githubCall<T>(
	doing: string,
	repo: string,
	call: () => Promise<T>
): Promise<T> {
	try {
		return await call();
	} catch (error) {
		if (isPermanent(error))
			throw new ReportRefused(explainRefusal(error, doing, repo), { cause: error });
		throw error;
	}
}
