import { spawn } from 'node:child_process';

export type GitAccess = {
	/** Local paths and file:// are refused by git itself unless this is set. */
	allowLocal: boolean;
	/** Path of a private key file for SSH remotes (a project's deploy key). */
	sshKeyPath?: string;
	/** A scratch folder for known_hosts; git never reads the host user's config. */
	homeDir: string;
	/**
	 * An `Authorization` header for HTTP(S) remotes (a GitHub installation token). It reaches git
	 * through its environment (GIT_CONFIG_*), never the command line, so `ps` and logs cannot show it.
	 */
	httpAuthorization?: string;
	/** Plain http:// remotes: only for a GitHub whose configured address is http (tests). */
	allowHttp?: boolean;
};

/** A git failure with stderr kept for explaining it (never shown raw: it may echo URLs). */
export class GitCommandError extends Error {
	readonly stderr: string;
	constructor(message: string, stderr: string) {
		super(message);
		this.name = 'GitCommandError';
		this.stderr = stderr;
	}
}

function gitEnv(access: GitAccess): NodeJS.ProcessEnv {
	const ssh = [
		'ssh',
		'-o BatchMode=yes',
		'-o ConnectTimeout=15',
		'-o StrictHostKeyChecking=accept-new',
		`-o UserKnownHostsFile=${access.homeDir}/known_hosts`,
		...(access.sshKeyPath ? [`-i ${access.sshKeyPath}`, '-o IdentitiesOnly=yes'] : [])
	].join(' ');
	return {
		PATH: process.env.PATH,
		HOME: access.homeDir,
		GIT_CONFIG_NOSYSTEM: '1',
		GIT_TERMINAL_PROMPT: '0',
		GIT_ASKPASS: 'true',
		GIT_ALLOW_PROTOCOL: ['https', 'ssh', access.allowLocal && 'file', access.allowHttp && 'http']
			.filter(Boolean)
			.join(':'),
		GIT_SSH_COMMAND: ssh,
		SSL_CERT_FILE: process.env.SSL_CERT_FILE,
		GIT_SSL_CAINFO: process.env.GIT_SSL_CAINFO,
		...(access.httpAuthorization
			? {
					GIT_CONFIG_COUNT: '1',
					GIT_CONFIG_KEY_0: 'http.extraHeader',
					GIT_CONFIG_VALUE_0: `Authorization: ${access.httpAuthorization}`
				}
			: {})
	};
}

/** Runs git with a clean environment and a deadline; rejects with GitCommandError. */
export function runGit(args: {
	argv: string[];
	access: GitAccess;
	cwd?: string;
	timeoutMs?: number;
	signal?: AbortSignal;
}): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn('git', args.argv, {
			cwd: args.cwd,
			env: gitEnv(args.access),
			stdio: ['ignore', 'pipe', 'pipe'],
			signal: args.signal
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-8000)));
		const timer = setTimeout(() => child.kill('SIGKILL'), args.timeoutMs ?? 60_000);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(new GitCommandError(error.message, stderr));
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) resolve(stdout);
			else if (signal === 'SIGKILL' && !args.signal?.aborted) {
				reject(new GitCommandError('timed out', `${stderr}\nslipway: git timed out`));
			} else
				reject(new GitCommandError(`git ${args.argv[0]} exited with ${code ?? signal}`, stderr));
		});
	});
}
