import { describe, expect, it } from 'vitest';
import { execIfSimple } from './syntax.ts';

describe('execIfSimple', () => {
	it.each([
		['node server.js', 'exec node server.js'],
		['  /app/server  ', 'exec /app/server'],
		['gunicorn app.wsgi --bind 0.0.0.0:$PORT', 'exec gunicorn app.wsgi --bind 0.0.0.0:$PORT'],
		['uvicorn main:app --port ${PORT}', 'exec uvicorn main:app --port ${PORT}'],
		[
			'node --max-old-space-size=200 "my server.js"',
			'exec node --max-old-space-size=200 "my server.js"'
		]
	])('lets %j replace the shell', (command, expected) => {
		expect(execIfSimple(command)).toBe(expected);
	});

	it.each([
		'python manage.py migrate --noinput && gunicorn app.wsgi',
		'node a.js; node b.js',
		'node server.js | tee log',
		'node server.js > out.log',
		'cd web\nnode server.js',
		'NODE_OPTIONS=--max-old-space-size=256 node server.js',
		'exec node server.js',
		'if true; then node server.js; fi',
		'node "$(cat entry)"',
		// conservative: a quoted operator still counts
		"node -e 'console.log(1)'"
	])('leaves %j to the shell', (command) => {
		expect(execIfSimple(command)).toBe(command);
	});
});
