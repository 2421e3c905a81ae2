import { listPythonDependencies } from './python-deps.ts';
import type { DetectedPreset, RepoFiles } from './types.ts';

type AppObject = { module: string; variable: string; file: string };

const PREFERRED_FILES = ['main.py', 'app.py', 'api.py', 'server.py', 'application.py', 'wsgi.py'];
// Reading every file of a large repository would make project creation slow; apps define their
// object near the top of the tree.
const MAX_SCANNED_FILES = 30;
const SKIPPED_DIRS = /^(\.?venv|env|node_modules|tests?|docs|migrations|site-packages)\//;

const FASTAPI = /^(\w+)\s*(?::[^=\n]+)?=\s*(?:fastapi\.)?FastAPI\s*\(/m;
const FLASK = /^(\w+)\s*(?::[^=\n]+)?=\s*(?:flask\.)?Flask\s*\(/m;

function rank(file: string): number {
	const name = file.split('/').pop() ?? file;
	const preferred = PREFERRED_FILES.indexOf(name);
	return (file.includes('/') ? 10 : 0) + (preferred === -1 ? PREFERRED_FILES.length : preferred);
}

/** Finds `app = FastAPI(...)` / `app = Flask(...)` in the Python files of the top two levels. */
async function findAppObjects(repo: RepoFiles) {
	const candidates = repo.files
		.filter((f) => /^([\w-]+\/)?\w+\.py$/.test(f) && !SKIPPED_DIRS.test(f))
		.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
		.slice(0, MAX_SCANNED_FILES);
	const found: { fastapi?: AppObject; flask?: AppObject } = {};
	for (const file of candidates) {
		const source = await repo.read(file);
		if (!source) continue;
		const module = file.replace(/\.py$/, '').replaceAll('/', '.');
		const fastapi = FASTAPI.exec(source);
		const flask = FLASK.exec(source);
		if (fastapi) found.fastapi ??= { module, variable: fastapi[1], file };
		if (flask) found.flask ??= { module, variable: flask[1], file };
		if (found.fastapi && found.flask) break;
	}
	return found;
}

async function findDjangoProject(repo: RepoFiles): Promise<string | null> {
	const manage = (await repo.read('manage.py')) ?? '';
	const settings = /DJANGO_SETTINGS_MODULE["']\s*,\s*["'](\w+)\.settings\b/.exec(manage);
	if (settings) return settings[1];
	return repo.files.find((f) => /^\w+\/wsgi\.py$/.test(f))?.split('/')[0] ?? null;
}

function describeInstall(has: (file: string) => boolean, pyproject: string | null) {
	if (has('uv.lock')) {
		// A packaged project (with [build-system]) installs itself, which needs the whole source.
		const packaged = /^\[build-system\]/m.test(pyproject ?? '');
		const files = ['pyproject.toml', 'uv.lock', '.python-version'].filter(has);
		return {
			command: 'uv sync --frozen --no-dev',
			files: packaged ? [] : files,
			reason: 'uv.lock: Python with uv.'
		};
	}
	if (has('requirements.txt')) {
		return {
			command: 'pip install -r requirements.txt',
			files: ['requirements.txt'],
			reason: 'requirements.txt: Python with pip.'
		};
	}
	return {
		command: 'pip install .',
		files: [],
		reason:
			'pyproject.toml without a lockfile: Python with pip. Add uv.lock or requirements.txt so dependencies are cached between deploys.'
	};
}

type Start = { framework: string | null; command: string | null; reasons: string[] };

async function describeDjangoStart(repo: RepoFiles, deps: Set<string>): Promise<Start> {
	const reasons = [
		'manage.py: Django. Migrations are not run for you: to run them on each deploy, start with `python manage.py migrate --noinput && …`.'
	];
	if (!deps.has('gunicorn')) {
		reasons.push(
			'gunicorn is not listed, so Django’s development server is used; add gunicorn for production.'
		);
		return { framework: 'Django', command: 'python manage.py runserver 0.0.0.0:$PORT', reasons };
	}
	const project = await findDjangoProject(repo);
	if (!project) reasons.push('Could not find the project’s wsgi.py: check the start command.');
	const command = `gunicorn ${project ?? 'app'}.wsgi --bind 0.0.0.0:$PORT`;
	return { framework: 'Django', command, reasons };
}

/** A listed dependency decides; the code only when nothing is listed. */
function pickFramework(deps: Set<string>, apps: { fastapi?: AppObject; flask?: AppObject }) {
	if (deps.has('fastapi')) return 'FastAPI';
	if (deps.has('flask')) return 'Flask';
	if (apps.fastapi) return 'FastAPI';
	if (apps.flask) return 'Flask';
	return null;
}

async function describeAppStart(repo: RepoFiles, deps: Set<string>): Promise<Start> {
	const apps = await findAppObjects(repo);
	const framework = pickFramework(deps, apps);
	if (!framework) {
		const script = ['main.py', 'app.py'].find((file) => repo.files.includes(file));
		const reason = script
			? `Start: ${script}.`
			: 'No main.py, app.py or known framework: enter the start command.';
		return { framework, command: script ? `python ${script}` : null, reasons: [reason] };
	}
	const app = framework === 'FastAPI' ? apps.fastapi : apps.flask;
	const target = app ? `${app.module}:${app.variable}` : 'main:app';
	const reasons = [
		app
			? `${app.file} creates ${framework}() as "${app.variable}": ${framework}.`
			: `${framework} is listed but no file creates ${framework}(): check the start command.`
	];
	let command = `uvicorn ${target} --host 0.0.0.0 --port $PORT`;
	if (framework === 'Flask') {
		command = deps.has('gunicorn')
			? `gunicorn ${target} --bind 0.0.0.0:$PORT`
			: `flask --app ${target} run --host 0.0.0.0 --port $PORT`;
	}
	return { framework, command, reasons };
}

export async function detectPythonPreset(repo: RepoFiles): Promise<DetectedPreset> {
	const has = (file: string) => repo.files.includes(file);
	const [requirementsTxt, pyprojectToml] = await Promise.all([
		has('requirements.txt') ? repo.read('requirements.txt') : null,
		has('pyproject.toml') ? repo.read('pyproject.toml') : null
	]);
	const deps = listPythonDependencies({ requirementsTxt, pyprojectToml });
	const install = describeInstall(has, pyprojectToml);
	const start = has('manage.py')
		? await describeDjangoStart(repo, deps)
		: await describeAppStart(repo, deps);
	return {
		preset: 'python',
		label: start.framework ? `Python (${start.framework})` : 'Python',
		installCommand: install.command,
		buildCommand: null,
		startCommand: start.command,
		installFiles: install.files,
		reasons: [install.reason, ...start.reasons]
	};
}
