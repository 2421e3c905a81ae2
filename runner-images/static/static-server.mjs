// Slipway's static file server: serves STATIC_DIR (default /app) on 0.0.0.0:$PORT (default 8000).
// Node's standard library only, so it runs on any Node >= 18 without an install step.
//
// - `/` and `/dir/` serve index.html; `/dir` redirects to `/dir/` when dir/index.html exists;
//   `/about` serves about.html when there is no `about` (clean URLs).
// - Unknown paths answer 404 with STATIC_DIR/404.html when there is one; with STATIC_SPA=1 they
//   get index.html with 200 instead (single-page apps with client-side routing).
// - Dotfiles and paths escaping STATIC_DIR (`..`, encoded or not, symlinks) answer 404.
// - GET and HEAD only; ETag / Last-Modified revalidation; single byte ranges (media seeking).
// - SIGTERM/SIGINT: stops accepting connections and exits once in-flight responses are done.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';

const root = await realpath(path.resolve(process.env.STATIC_DIR || '/app'));
const port = Number(process.env.PORT || 8000);
const host = process.env.HOST || '0.0.0.0';
const spa = process.env.STATIC_SPA === '1';

const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.htm': 'text/html; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.map': 'application/json; charset=utf-8',
	'.webmanifest': 'application/manifest+json; charset=utf-8',
	'.txt': 'text/plain; charset=utf-8',
	'.md': 'text/markdown; charset=utf-8',
	'.csv': 'text/csv; charset=utf-8',
	'.xml': 'application/xml; charset=utf-8',
	'.rss': 'application/rss+xml; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.avif': 'image/avif',
	'.ico': 'image/x-icon',
	'.woff': 'font/woff',
	'.woff2': 'font/woff2',
	'.ttf': 'font/ttf',
	'.otf': 'font/otf',
	'.wasm': 'application/wasm',
	'.pdf': 'application/pdf',
	'.zip': 'application/zip',
	'.mp3': 'audio/mpeg',
	'.ogg': 'audio/ogg',
	'.wav': 'audio/wav',
	'.mp4': 'video/mp4',
	'.webm': 'video/webm'
};

function contentType(file) {
	return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The regular file at `relative` inside root, or null (missing, a directory, or outside root). */
async function findFile(relative) {
	const candidate = path.join(root, relative);
	try {
		const real = await realpath(candidate);
		if (real !== root && !real.startsWith(root + path.sep)) return null;
		const info = await stat(real);
		return info.isFile() ? { file: real, info } : null;
	} catch {
		return null;
	}
}

async function isDirectory(relative) {
	try {
		const real = await realpath(path.join(root, relative));
		return (real === root || real.startsWith(root + path.sep)) && (await stat(real)).isDirectory();
	} catch {
		return false;
	}
}

/** Decodes the URL path into safe segments, or null for anything suspicious. */
function parsePath(url) {
	let pathname;
	try {
		pathname = decodeURIComponent(new URL(url, 'http://localhost').pathname);
	} catch {
		return null;
	}
	if (pathname.includes('\0') || pathname.includes('\\')) return null;
	const segments = pathname.split('/').filter(Boolean);
	// `.well-known` is the one dot directory sites publish on purpose.
	if (segments.some((s) => s === '..' || (s.startsWith('.') && s !== '.well-known'))) return null;
	return { segments, trailingSlash: pathname.endsWith('/') };
}

/** Which file answers a path: exact file, dir/index.html, or name.html. */
async function resolve({ segments, trailingSlash }) {
	const relative = segments.join('/');
	if (!trailingSlash && relative) {
		const exact = await findFile(relative);
		if (exact) return { found: exact };
		if ((await isDirectory(relative)) && (await findFile(`${relative}/index.html`))) {
			return { redirect: `/${relative}/` };
		}
		const html = await findFile(`${relative}.html`);
		if (html) return { found: html };
		return {};
	}
	const index = await findFile(relative ? `${relative}/index.html` : 'index.html');
	return index ? { found: index } : {};
}

function parseRange(header, size) {
	const match = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
	if (!match || (match[1] === '' && match[2] === '')) return null;
	let start;
	let end;
	if (match[1] === '') {
		start = Math.max(0, size - Number(match[2]));
		end = size - 1;
	} else {
		start = Number(match[1]);
		end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	}
	return start <= end && start < size ? { start, end } : 'unsatisfiable';
}

function send(req, res, status, { file, info }) {
	const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
	const headers = {
		'Content-Type': contentType(file),
		ETag: etag,
		'Last-Modified': info.mtime.toUTCString(),
		// Revalidate every time: file names of plain sites are not content-hashed.
		'Cache-Control': 'public, max-age=0, must-revalidate',
		'Accept-Ranges': 'bytes',
		'X-Content-Type-Options': 'nosniff'
	};
	if (status === 200) {
		const fresh = req.headers['if-none-match']
			? req.headers['if-none-match'].split(/\s*,\s*/).includes(etag)
			: req.headers['if-modified-since'] &&
				Math.floor(info.mtimeMs / 1000) <= Date.parse(req.headers['if-modified-since']) / 1000;
		if (fresh) {
			res.writeHead(304, headers);
			return res.end();
		}
	}
	let range = null;
	if (status === 200 && req.headers.range) {
		range = parseRange(req.headers.range, info.size);
		if (range === 'unsatisfiable') {
			res.writeHead(416, { 'Content-Range': `bytes */${info.size}` });
			return res.end();
		}
	}
	const start = range?.start ?? 0;
	const end = range?.end ?? info.size - 1;
	headers['Content-Length'] = info.size === 0 ? 0 : end - start + 1;
	if (range) headers['Content-Range'] = `bytes ${start}-${end}/${info.size}`;
	res.writeHead(range ? 206 : status, headers);
	if (req.method === 'HEAD' || info.size === 0) return res.end();
	const stream = createReadStream(file, { start, end });
	stream.on('error', (error) => {
		console.error(`static-server: reading ${file}: ${error.message}`);
		res.destroy(error);
	});
	stream.pipe(res);
}

async function handle(req, res) {
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
		return res.end('Method not allowed\n');
	}
	const parsed = parsePath(req.url ?? '/');
	const result = parsed ? await resolve(parsed) : {};
	if (result.redirect) {
		const query = new URL(req.url ?? '/', 'http://localhost').search;
		res.writeHead(301, { Location: result.redirect + query });
		return res.end();
	}
	if (result.found) return send(req, res, 200, result.found);
	if (spa && parsed) {
		const index = await findFile('index.html');
		if (index) return send(req, res, 200, index);
	}
	const notFound = await findFile('404.html');
	if (notFound) return send(req, res, 404, notFound);
	res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
	res.end(req.method === 'HEAD' ? undefined : 'Not found\n');
}

const server = createServer((req, res) => {
	handle(req, res).catch((error) => {
		console.error(`static-server: ${req.method} ${req.url}: ${error.stack ?? error}`);
		if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
		res.end();
	});
});

server.listen(port, host, () => {
	console.log(`static-server: serving ${root} on http://${host}:${port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
	process.once(signal, () => {
		server.close(() => process.exit(0));
		server.closeIdleConnections();
		// Long downloads must not hold a stop forever; Docker's stop timeout is the backstop.
		setTimeout(() => process.exit(0), 10_000).unref();
	});
}
