import { describe, expect, it } from 'vitest';
import { detectPreset } from './detect.ts';

function repo(files: Record<string, string>) {
	return { files: Object.keys(files), read: async (path: string) => files[path] ?? null };
}

const manage = `import os, sys
def main():
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')
`;

describe('Python detection', () => {
	it('installs with uv when uv.lock is present', async () => {
		const result = await detectPreset(
			repo({
				'pyproject.toml': '[project]\nname = "x"',
				'uv.lock': '',
				'.python-version': '3.13',
				'main.py': ''
			})
		);
		expect(result).toMatchObject({
			preset: 'python',
			label: 'Python',
			installCommand: 'uv sync --frozen --no-dev',
			startCommand: 'python main.py',
			installFiles: ['pyproject.toml', 'uv.lock', '.python-version']
		});
		expect(result.reasons[0]).toBe('uv.lock: Python with uv.');
	});

	it('gives a packaged uv project the whole source to install', async () => {
		const result = await detectPreset(
			repo({
				'pyproject.toml': '[build-system]\nrequires = ["hatchling"]',
				'uv.lock': '',
				'app.py': ''
			})
		);
		expect(result.installFiles).toEqual([]);
		expect(result.startCommand).toBe('python app.py');
	});

	it('installs with pip from requirements.txt, or from pyproject.toml alone', async () => {
		const req = await detectPreset(repo({ 'requirements.txt': 'requests\n', 'app.py': '' }));
		expect(req).toMatchObject({
			installCommand: 'pip install -r requirements.txt',
			installFiles: ['requirements.txt'],
			startCommand: 'python app.py'
		});
		const pyproject = await detectPreset(repo({ 'pyproject.toml': '[project]\nname = "x"' }));
		expect(pyproject).toMatchObject({
			installCommand: 'pip install .',
			installFiles: [],
			startCommand: null
		});
		expect(pyproject.reasons.join(' ')).toMatch(/Add uv.lock or requirements.txt/);
		expect(pyproject.reasons.join(' ')).toMatch(/enter the start command/);
	});

	it('runs Django with gunicorn when listed, and never migrates on its own', async () => {
		const result = await detectPreset(
			repo({
				'requirements.txt': 'Django>=5\ngunicorn\n',
				'manage.py': manage,
				'mysite/settings.py': '',
				'mysite/wsgi.py': ''
			})
		);
		expect(result).toMatchObject({
			label: 'Python (Django)',
			startCommand: 'gunicorn mysite.wsgi --bind 0.0.0.0:$PORT'
		});
		expect(result.reasons.join(' ')).toMatch(/Migrations are not run for you/);
		expect(result.startCommand).not.toMatch(/migrate/);
	});

	it('finds the Django project from wsgi.py when manage.py does not name it', async () => {
		const result = await detectPreset(
			repo({ 'requirements.txt': 'django\ngunicorn', 'manage.py': '', 'config/wsgi.py': '' })
		);
		expect(result.startCommand).toBe('gunicorn config.wsgi --bind 0.0.0.0:$PORT');
	});

	it('falls back to Django’s own server without gunicorn, and says so', async () => {
		const result = await detectPreset(repo({ 'requirements.txt': 'django', 'manage.py': manage }));
		expect(result.startCommand).toBe('python manage.py runserver 0.0.0.0:$PORT');
		expect(result.reasons.join(' ')).toMatch(/add gunicorn/);
	});

	it('runs FastAPI with uvicorn on the module that creates the app', async () => {
		const result = await detectPreset(
			repo({
				'requirements.txt': 'fastapi[standard]\n',
				'README.md': '',
				'app/__init__.py': '',
				'app/main.py': 'from fastapi import FastAPI\n\napi: FastAPI = FastAPI(title="shop")\n'
			})
		);
		expect(result).toMatchObject({
			label: 'Python (FastAPI)',
			startCommand: 'uvicorn app.main:api --host 0.0.0.0 --port $PORT'
		});
		expect(result.reasons).toContain('app/main.py creates FastAPI() as "api": FastAPI.');
	});

	it('recognises FastAPI from the code alone and prefers main.py', async () => {
		const result = await detectPreset(
			repo({
				'pyproject.toml': '[project]\nname = "x"',
				'zzz.py': 'import fastapi\nother = fastapi.FastAPI()\n',
				'main.py': 'import fastapi\napp = fastapi.FastAPI()\n'
			})
		);
		expect(result.startCommand).toBe('uvicorn main:app --host 0.0.0.0 --port $PORT');
	});

	it('says so when FastAPI is listed but no file creates the app', async () => {
		const result = await detectPreset(
			repo({ 'requirements.txt': 'fastapi', 'tests/main.py': 'app = FastAPI()' })
		);
		expect(result.startCommand).toBe('uvicorn main:app --host 0.0.0.0 --port $PORT');
		expect(result.reasons.join(' ')).toMatch(
			/no file creates FastAPI\(\): check the start command/
		);
	});

	it('runs Flask with gunicorn when listed, else with flask run', async () => {
		const files = { 'server.py': 'from flask import Flask\napp = Flask(__name__)\n' };
		const withGunicorn = await detectPreset(
			repo({ ...files, 'requirements.txt': 'flask\ngunicorn' })
		);
		expect(withGunicorn).toMatchObject({
			label: 'Python (Flask)',
			startCommand: 'gunicorn server:app --bind 0.0.0.0:$PORT'
		});
		const plain = await detectPreset(repo({ ...files, 'requirements.txt': 'Flask==3.0' }));
		expect(plain.startCommand).toBe('flask --app server:app run --host 0.0.0.0 --port $PORT');
	});

	it('runs a standard-library app as a plain script', async () => {
		const result = await detectPreset(
			repo({ 'requirements.txt': '', 'main.py': 'from http.server import HTTPServer\n' })
		);
		expect(result).toMatchObject({ label: 'Python', startCommand: 'python main.py' });
	});

	it('reads at most 30 files looking for the app', async () => {
		const files: Record<string, string> = { 'requirements.txt': 'fastapi' };
		for (let i = 0; i < 100; i++) files[`m${String(i).padStart(3, '0')}.py`] = '';
		let reads = 0;
		const counting = {
			files: Object.keys(files),
			read: async (path: string) => {
				reads++;
				return files[path] ?? null;
			}
		};
		await detectPreset(counting);
		expect(reads).toBeLessThanOrEqual(31);
	});
});
