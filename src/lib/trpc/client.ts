import {
	createTRPCClient,
	httpBatchLink,
	httpSubscriptionLink,
	splitLink,
	type TRPCClient
} from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../server/trpc/router.ts';

export type SlipwayClient = TRPCClient<AppRouter>;

/**
 * A typed client for the browser (relative URL, cookie session) or a Node script / the CLI
 * (absolute URL of the instance plus a personal access token sent as `Authorization: Bearer`).
 */
export function createSlipwayClient(
	options: { url?: string; token?: string; fetch?: typeof fetch } = {}
): SlipwayClient {
	const url = `${(options.url ?? '').replace(/\/$/, '')}/api/trpc`;
	const headers = () =>
		options.token ? { authorization: `Bearer ${options.token}` } : ({} as Record<string, string>);
	return createTRPCClient<AppRouter>({
		links: [
			splitLink({
				condition: (op) => op.type === 'subscription',
				true: httpSubscriptionLink({
					url,
					transformer: superjson,
					eventSourceOptions: () => ({ headers: headers() }) as EventSourceInit
				}),
				false: httpBatchLink({ url, transformer: superjson, headers, fetch: options.fetch })
			})
		]
	});
}

export type { AppRouter };
