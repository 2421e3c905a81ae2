import { relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pack } from 'tar-fs';
import { getDocker } from './client.ts';

export class ImageBuildError extends Error {
	readonly lastLines: string[];
	constructor(message: string, lastLines: string[]) {
		super(message);
		this.name = 'ImageBuildError';
		this.lastLines = lastLines;
	}
}

type BuildEvent = { stream?: string; status?: string; error?: string; aux?: { ID?: string } };

/**
 * Builds `tag` from a folder with the classic builder, streaming output line by line.
 * CPU and memory are capped so a build cannot starve running apps. Aborting the signal closes
 * the connection, which makes the engine stop the build.
 */
export async function buildImage(args: {
	contextDir: string;
	dockerfile: string;
	tag: string;
	/** Non-secret only: build args are visible in image history and request URLs. */
	buildArgs?: Record<string, string>;
	memoryMb: number;
	cpuMillicores: number;
	signal: AbortSignal;
	onLine: (line: string) => void;
}): Promise<{ imageId: string }> {
	const docker = getDocker();
	// Git's metadata changes with every fetch: sent along, it would defeat the layer cache.
	const context = pack(args.contextDir, {
		ignore: (name) => {
			const rel = relative(args.contextDir, name);
			return rel === '.git' || rel.startsWith(`.git${sep}`);
		}
	}) as unknown as NodeJS.ReadableStream;
	const stream = (await docker.buildImage(context, {
		t: args.tag,
		dockerfile: args.dockerfile,
		buildargs: args.buildArgs ?? {},
		memory: args.memoryMb * 1024 * 1024,
		memswap: args.memoryMb * 1024 * 1024,
		cpuperiod: 100_000,
		cpuquota: args.cpuMillicores * 100,
		rm: true,
		forcerm: true,
		abortSignal: args.signal
	} as never)) as unknown as Readable;

	const recent: string[] = [];
	let imageId: string | null = null;
	let failure: string | null = null;
	const emit = (text: string) => {
		for (const line of text.replace(/\r/g, '').split('\n')) {
			if (!line.trim()) continue;
			recent.push(line);
			if (recent.length > 30) recent.shift();
			args.onLine(line);
		}
	};
	const onAbort = () => stream.destroy();
	args.signal.addEventListener('abort', onAbort, { once: true });
	try {
		let buffer = '';
		for await (const chunk of stream) {
			buffer += chunk.toString('utf8');
			let nl: number;
			while ((nl = buffer.indexOf('\n')) >= 0) {
				const raw = buffer.slice(0, nl).trim();
				buffer = buffer.slice(nl + 1);
				if (!raw) continue;
				let event: BuildEvent;
				try {
					event = JSON.parse(raw);
				} catch {
					emit(raw);
					continue;
				}
				if (event.stream) emit(event.stream);
				else if (event.status) emit(event.status);
				if (event.aux?.ID) imageId = event.aux.ID;
				if (event.error) {
					failure = event.error;
					emit(event.error);
				}
			}
		}
	} catch (error) {
		if (!args.signal.aborted) throw error;
	} finally {
		args.signal.removeEventListener('abort', onAbort);
	}
	if (args.signal.aborted) throw new ImageBuildError('build canceled', recent);
	if (failure) throw new ImageBuildError(failure, recent);
	const image = await docker.getImage(args.tag).inspect();
	return { imageId: imageId ?? image.Id };
}

export async function removeImage(tag: string): Promise<void> {
	try {
		await getDocker().getImage(tag).remove({ force: true });
	} catch (error) {
		if ((error as { statusCode?: number }).statusCode !== 404) throw error;
	}
}

export async function imageExists(tag: string): Promise<boolean> {
	try {
		await getDocker().getImage(tag).inspect();
		return true;
	} catch {
		return false;
	}
}
