import type { ContainerStatus } from '../../docker/containers.ts';

export type ProbeResult =
	| { ok: true; status: number; attempts: number }
	| { ok: false; reason: string; stage: 'start' | 'probe' };

/**
 * Asks the app's health path until it answers 2xx/3xx, the container stops, or the deadline
 * passes. Each outcome becomes a sentence that says what to change.
 */
export async function probeHealth(args: {
	url: string;
	port: number;
	path: string;
	memoryMb: number;
	timeoutMs: number;
	signal: AbortSignal;
	status: () => Promise<ContainerStatus>;
	onAttempt?: (message: string) => void;
}): Promise<ProbeResult> {
	const deadline = Date.now() + args.timeoutMs;
	let lastError = 'no attempt made';
	let refusedOnly = true;
	let attempts = 0;
	let delay = 100;
	while (!args.signal.aborted) {
		const state = await args.status();
		if (!state.exists) {
			return {
				ok: false,
				stage: 'start',
				reason:
					'The container was removed outside Slipway while the app was starting. Redeploy; if it happens again, check what else manages containers on this host.'
			};
		}
		if (!state.running) {
			if (state.oomKilled || state.exitCode === 137) {
				return {
					ok: false,
					stage: 'start',
					reason: `The app was killed for using more than its memory limit (${args.memoryMb} MB). Raise the memory limit in the project settings or make the app use less.`
				};
			}
			return {
				ok: false,
				stage: 'start',
				reason: `The app exited with code ${state.exitCode ?? 'unknown'} while starting. The runtime log above shows its last output.`
			};
		}
		attempts++;
		try {
			const res = await fetch(args.url, {
				redirect: 'manual',
				signal: AbortSignal.any([args.signal, AbortSignal.timeout(5000)])
			});
			await res.body?.cancel();
			if (res.status >= 200 && res.status < 400) return { ok: true, status: res.status, attempts };
			refusedOnly = false;
			lastError = `HTTP ${res.status}`;
		} catch (error) {
			const code = (error as { cause?: { code?: string } }).cause?.code;
			if (code !== 'ECONNREFUSED' && code !== 'ECONNRESET' && code !== 'UND_ERR_SOCKET')
				refusedOnly = false;
			lastError = code ?? (error as Error).message;
		}
		if (attempts % 10 === 0)
			args.onAttempt?.(`Health check on ${args.path}: still waiting (${lastError}).`);
		if (Date.now() + delay > deadline) break;
		await new Promise((r) => setTimeout(r, delay));
		delay = Math.min(delay * 1.5, 1000);
	}
	const seconds = Math.round(args.timeoutMs / 1000);
	if (refusedOnly) {
		return {
			ok: false,
			stage: 'probe',
			reason: `Nothing listened on port ${args.port} within ${seconds} s. Make the app listen on 0.0.0.0 and the port in $PORT (${args.port}), or change the port in the project settings.`
		};
	}
	return {
		ok: false,
		stage: 'probe',
		reason: `The health check on ${args.path} did not pass within ${seconds} s (last answer: ${lastError}). It needs a 2xx or 3xx response; change the health-check path if the app serves another one.`
	};
}
