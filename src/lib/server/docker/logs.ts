import { PassThrough, type Readable } from 'node:stream';
import { getDocker } from './client.ts';

export type LogLine = { stream: 'stdout' | 'stderr'; line: string; at: Date };

function splitLines(source: Readable, stream: LogLine['stream'], onLine: (l: LogLine) => void) {
	let buffer = '';
	source.on('data', (chunk: Buffer) => {
		buffer += chunk.toString('utf8');
		let nl: number;
		while ((nl = buffer.indexOf('\n')) >= 0) {
			const raw = buffer.slice(0, nl);
			buffer = buffer.slice(nl + 1);
			// With timestamps on, each line starts with an RFC 3339 time and a space.
			const space = raw.indexOf(' ');
			const at = new Date(raw.slice(0, space));
			const valid = space > 0 && !Number.isNaN(at.getTime());
			onLine({ stream, line: valid ? raw.slice(space + 1) : raw, at: valid ? at : new Date() });
		}
	});
}

/**
 * Follows a container's stdout/stderr from `since` until it stops or `stop()` is called.
 * Resolves `done` when the stream ends.
 */
export async function followContainerLogs(args: {
	containerId: string;
	since?: Date;
	onLine: (line: LogLine) => void;
}): Promise<{ stop: () => void; done: Promise<void> }> {
	const container = getDocker().getContainer(args.containerId);
	const raw = (await container.logs({
		follow: true,
		stdout: true,
		stderr: true,
		timestamps: true,
		since: args.since ? Math.floor(args.since.getTime() / 1000) : 0
	})) as unknown as Readable;
	const out = new PassThrough();
	const err = new PassThrough();
	splitLines(out, 'stdout', args.onLine);
	splitLines(err, 'stderr', args.onLine);
	getDocker().modem.demuxStream(raw, out, err);
	const done = new Promise<void>((resolve) => {
		raw.on('end', resolve);
		raw.on('close', resolve);
		raw.on('error', () => resolve());
	});
	return { stop: () => raw.destroy(), done };
}
