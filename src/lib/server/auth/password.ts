import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's recommended minimums (19 MiB, 2 iterations).
const options = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
	return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

let dummy: Promise<string> | undefined;
/** Spend the same time when the account does not exist, so timing does not reveal emails. */
export async function burnPasswordCheck(password: string): Promise<void> {
	dummy ??= hashPassword('slipway-dummy-password');
	await verifyPassword(await dummy, password);
}
