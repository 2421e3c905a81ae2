import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** An ed25519 key pair in OpenSSH format; the public half is what the user adds to the repo host. */
export async function generateDeployKey(
	comment: string
): Promise<{ publicKey: string; privateKey: string }> {
	const dir = await mkdtemp(join(tmpdir(), 'slipway-key-'));
	try {
		const path = join(dir, 'key');
		await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
		const [privateKey, publicKey] = await Promise.all([
			readFile(path, 'utf8'),
			readFile(`${path}.pub`, 'utf8')
		]);
		return { publicKey: publicKey.trim(), privateKey };
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/** Writes a private key where ssh accepts it (0600) for one git operation; returns a cleanup. */
export async function writeKeyFile(
	privateKey: string
): Promise<{ path: string; remove: () => Promise<void> }> {
	const dir = await mkdtemp(join(tmpdir(), 'slipway-ssh-'));
	const path = join(dir, 'id');
	await writeFile(path, privateKey, { mode: 0o600 });
	return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
