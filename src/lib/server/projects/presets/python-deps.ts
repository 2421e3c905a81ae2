/** PEP 503: names compare case-insensitively, with runs of - _ . equal. */
function normalizeName(name: string): string {
	return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function nameOfRequirement(requirement: string): string | null {
	const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement);
	return match ? normalizeName(match[1]) : null;
}

function fromRequirementsTxt(text: string): string[] {
	return text
		.split(/\r?\n/)
		.map((line) => line.replace(/(^|\s)#.*$/, '').trim())
		.filter((line) => line !== '' && !line.startsWith('-'))
		.map(nameOfRequirement)
		.filter((name) => name !== null);
}

/**
 * Reads dependency names from pyproject.toml without a TOML parser: the quoted requirement strings
 * of PEP 621 arrays (`dependencies = ["django>=5"]`) and the keys of Poetry's
 * `[tool.poetry.dependencies]` table. Good enough to recognise a framework; never used to install.
 */
function fromPyproject(text: string): string[] {
	const names: string[] = [];
	let table = '';
	let inArray = false;
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.replace(/(^|\s)#.*$/, '').trim();
		const header = /^\[+([^\]]+)\]+$/.exec(line);
		if (header) {
			table = header[1].trim();
			inArray = false;
			continue;
		}
		if (/^[\w.-]*dependencies\s*=\s*\[/.test(line) || /^[\w.-]+\s*=\s*\[/.test(line)) {
			inArray = /dependencies|optional-dependencies|dependency-groups/.test(`${table} ${line}`);
		}
		if (inArray) {
			for (const [, quoted] of line.matchAll(/["']([^"']+)["']/g)) {
				const name = nameOfRequirement(quoted);
				if (name) names.push(name);
			}
			if (line.replace(/"[^"]*"|'[^']*'/g, '').includes(']')) inArray = false;
		} else if (/^tool\.poetry\.(group\.[\w-]+\.)?dependencies$/.test(table)) {
			const key = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*=/.exec(line);
			if (key) names.push(normalizeName(key[1]));
		}
	}
	return names;
}

/** Normalised names of the packages a Python project lists, to tell frameworks apart. */
export function listPythonDependencies({
	requirementsTxt,
	pyprojectToml
}: {
	requirementsTxt: string | null;
	pyprojectToml: string | null;
}): Set<string> {
	return new Set([
		...(requirementsTxt ? fromRequirementsTxt(requirementsTxt) : []),
		...(pyprojectToml ? fromPyproject(pyprojectToml) : [])
	]);
}
