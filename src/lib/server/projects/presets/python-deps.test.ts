import { describe, expect, it } from 'vitest';
import { listPythonDependencies } from './python-deps.ts';

const list = (requirementsTxt: string | null, pyprojectToml: string | null = null) => [
	...listPythonDependencies({ requirementsTxt, pyprojectToml })
];

describe('listPythonDependencies', () => {
	it('reads requirements.txt, ignoring comments, options and version specifiers', () => {
		expect(
			list(
				[
					'# web',
					'Django>=5.0,<6  # the framework',
					'gunicorn==22.0.0',
					'-r base.txt',
					'--index-url https://example.test/simple',
					'uvicorn[standard]>=0.30',
					'zope.interface ; python_version > "3.8"',
					'',
					'Flask_Login'
				].join('\n')
			)
		).toEqual(['django', 'gunicorn', 'uvicorn', 'zope-interface', 'flask-login']);
	});

	it('reads PEP 621 dependency arrays, one-line and multi-line', () => {
		const pyproject = `
[build-system]
requires = ["setuptools>=61"]

[project]
name = "shop"
classifiers = ["Framework :: Django"]
dependencies = [
  "fastapi[standard]>=0.110",  # api
  'SQLAlchemy~=2.0',
]

[project.optional-dependencies]
dev = ["pytest"]

[dependency-groups]
lint = ["ruff"]
`;
		expect(list(null, pyproject)).toEqual(['fastapi', 'sqlalchemy', 'pytest', 'ruff']);
		expect(list(null, '[project]\ndependencies = ["flask", "gunicorn>=21"]\nname = "x"')).toEqual([
			'flask',
			'gunicorn'
		]);
	});

	it('reads Poetry dependency tables', () => {
		const pyproject = `
[tool.poetry.dependencies]
python = "^3.12"
Django = { version = "^5", extras = ["argon2"] }

[tool.poetry.group.dev.dependencies]
black = "*"

[tool.black]
line-length = 100
`;
		expect(list(null, pyproject)).toEqual(['python', 'django', 'black']);
	});

	it('combines both files', () => {
		expect(list('flask\n', '[project]\ndependencies = ["gunicorn"]')).toEqual([
			'flask',
			'gunicorn'
		]);
	});
});
