import type { Redis } from '../events/redis.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Config } from '../config.ts';
import type { Keyring } from '../crypto/secret-box.ts';
import type { Db } from '../db/client.ts';
import type { Actor } from '../teams/access.ts';

/** Everything a procedure may use; built per request from what hooks.server.ts resolved. */
export type Context = {
	db: Db;
	keyring: Keyring;
	config: Config;
	user: SessionUser | null;
	/** Set for cookie sessions; null for API tokens. */
	sessionId: string | null;
	/** Set when authenticated by an API token: the only team it may act on. */
	tokenTeamId: string | null;
	ip: string;
	userAgent: string;
	/** The process's Redis client (live feeds); absent where live views are not served. */
	redis?: () => Promise<Redis>;
};

export function actorOf(ctx: { user: SessionUser; tokenTeamId: string | null }): Actor {
	return { userId: ctx.user.id, tokenTeamId: ctx.tokenTeamId };
}
