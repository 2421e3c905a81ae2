import { AppError } from '../errors.ts';

export type SignupMode = 'open' | 'invite_only' | 'allowlist';

/** Whether `email` matches an allowlist entry: an address, `@domain`, or a `*` pattern. */
export function isAllowlisted(email: string, allowlist: string[]): boolean {
	const address = email.toLowerCase();
	return allowlist.some((raw) => {
		const entry = raw.trim().toLowerCase();
		if (!entry) return false;
		if (entry.includes('*')) {
			const pattern = entry.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
			return new RegExp(`^${pattern}$`).test(address);
		}
		if (entry.startsWith('@')) return address.endsWith(entry);
		return address === entry;
	});
}

/** The first account may always be created: it becomes the instance admin. */
export function assertSignupAllowed(args: {
	mode: SignupMode;
	allowlist: string[];
	email: string;
	isFirstUser: boolean;
}): void {
	if (args.isFirstUser || args.mode === 'open') return;
	if (args.mode === 'allowlist' && isAllowlisted(args.email, args.allowlist)) return;
	throw new AppError(
		'FORBIDDEN',
		args.mode === 'invite_only'
			? 'Sign-up on this instance is by invitation only. Ask an admin to invite you.'
			: 'This email address may not sign up here. Ask an admin to add it or to invite you.',
		{ field: 'email' }
	);
}
