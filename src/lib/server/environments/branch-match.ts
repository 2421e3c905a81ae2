import { AppError } from '../errors.ts';

const MAX_BRANCH_LENGTH = 255;

/**
 * What git check-ref-format (--branch) would refuse, phrased to follow "Branch names ".
 * Non-ASCII is refused too: branch names end up in hostnames, container labels and shell commands.
 */
function describeBranchProblem(name: string): string | null {
	if (name.length > MAX_BRANCH_LENGTH) return `are at most ${MAX_BRANCH_LENGTH} characters.`;
	if (!/^\p{ASCII}*$/u.test(name)) {
		return 'may only use ASCII characters: rename the branch without accents, emoji or other scripts.';
	}
	if (/[\p{Cc} ]/u.test(name)) return 'cannot contain spaces or control characters.';
	if (/[~^:?*[\\]/.test(name)) return 'cannot contain ~ ^ : ? * [ or \\.';
	if (name.includes('..')) return 'cannot contain "..".';
	if (name.includes('@{') || name === '@') return 'cannot contain "@{" or be "@".';
	if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
		return 'cannot start or end with "/" or contain "//".';
	}
	if (name.startsWith('-')) return 'cannot start with "-".';
	if (name.endsWith('.')) return 'cannot end with ".".';
	if (name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) {
		return 'cannot have a part that starts with "." or ends with ".lock".';
	}
	if (name === 'HEAD') return 'cannot be HEAD.';
	return null;
}

/** Throws a user-facing error unless git would accept `name` as a branch; returns it otherwise. */
export function validateBranchName(name: string, { field = 'branch' } = {}): string {
	if (name === '') throw new AppError('INVALID', 'Enter a branch name.', { field });
	const problem = describeBranchProblem(name);
	if (problem) throw new AppError('INVALID', `Branch names ${problem}`, { field });
	return name;
}

/**
 * A pattern is a branch name with at most one `*`, first or last: `main`, `release/*`, `*-hotfix`.
 * The fixed part is checked by putting a branch name where the `*` is: if no valid branch could
 * ever match, the pattern is refused rather than silently matching nothing.
 */
export function validateBranchPattern(pattern: string): string {
	const field = 'branchPattern';
	if (pattern === '') throw new AppError('INVALID', 'Enter a branch or a pattern.', { field });
	const stars = pattern.split('*').length - 1;
	const starInside = stars === 1 && !pattern.startsWith('*') && !pattern.endsWith('*');
	if (stars > 1 || starInside) {
		throw new AppError(
			'INVALID',
			'Use at most one *, at the start or the end of the pattern (for example release/* or *-hotfix).',
			{ field }
		);
	}
	const example = pattern.replace('*', 'x');
	const problem = describeBranchProblem(example);
	if (problem) throw new AppError('INVALID', `Branch patterns ${problem}`, { field });
	return pattern;
}

export function matchBranchPattern({ pattern, branch }: { pattern: string; branch: string }) {
	if (pattern.endsWith('*')) return branch.startsWith(pattern.slice(0, -1));
	if (pattern.startsWith('*')) return branch.endsWith(pattern.slice(1));
	return branch === pattern;
}

export type EnvironmentMatch<E> =
	| { kind: 'production' }
	| { kind: 'environment'; environmentName: string; environment: E }
	| { kind: 'preview' }
	| { kind: 'none' };

/**
 * Decides where a push to `branch` deploys: the production branch first, then the environments
 * in the order given (first match wins), then a preview when previews are on.
 */
export function matchEnvironment<E extends { name: string; pattern: string }>({
	productionBranch,
	environments,
	branch,
	previewsEnabled
}: {
	productionBranch: string;
	environments: readonly E[];
	branch: string;
	previewsEnabled: boolean;
}): EnvironmentMatch<E> {
	if (branch === productionBranch) return { kind: 'production' };
	const environment = environments.find(({ pattern }) => matchBranchPattern({ pattern, branch }));
	if (environment) return { kind: 'environment', environmentName: environment.name, environment };
	return previewsEnabled ? { kind: 'preview' } : { kind: 'none' };
}
