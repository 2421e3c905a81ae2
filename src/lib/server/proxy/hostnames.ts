import { createHash } from 'node:crypto';

/** DNS allows 63 characters per label (RFC 1035). */
export const MAX_LABEL = 63;

/** Lowercase letters, digits and single dashes; what a branch name becomes inside a hostname. */
export function sanitizeLabelPart(input: string): string {
	return input
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

function shortHash(input: string): string {
	return createHash('sha256').update(input).digest('hex').slice(0, 6);
}

/**
 * Joins parts into one DNS label. When it is too long, it is cut and a hash of the full,
 * unsanitized input is appended, so two long branch names that share a prefix stay distinct.
 */
export function toLabel(parts: string[], original = parts.join('\u0000')): string {
	const label = parts.map(sanitizeLabelPart).filter(Boolean).join('-');
	if (label.length <= MAX_LABEL) return label;
	const hash = shortHash(original);
	return `${label.slice(0, MAX_LABEL - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

export type AliasTarget =
	| { kind: 'production' }
	| { kind: 'environment'; environmentSlug: string }
	| { kind: 'branch'; branch: string }
	| { kind: 'pull_request'; number: number };

/** product.md §5: the DNS label of an alias of a project, before any collision suffix. */
export function aliasLabel(args: { projectSlug: string; target: AliasTarget }) {
	const { projectSlug: p, target: t } = args;
	return t.kind === 'production'
		? toLabel([p])
		: t.kind === 'environment'
			? toLabel([p, 'env', t.environmentSlug])
			: t.kind === 'branch'
				? toLabel([p, 'branch', t.branch], `${p}\u0000branch\u0000${t.branch}`)
				: toLabel([p, 'pr', String(t.number)]);
}

/** The hostname of an alias under the deploy domain. */
export function aliasHostname(args: { projectSlug: string; target: AliasTarget; domain: string }) {
	return `${aliasLabel(args)}.${args.domain}`.toLowerCase();
}

/**
 * The label to use when `label` is already taken by another alias (`feature/a` and `feature-a`
 * both sanitize to `feature-a`): a short hash of what makes this alias distinct is appended, so
 * the second one gets a stable hostname of its own instead of stealing the first one's.
 */
export function disambiguateLabel(label: string, distinctKey: string): string {
	const hash = shortHash(distinctKey);
	return `${label.slice(0, MAX_LABEL - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** Where an alias sits in the aliases table: its kind and the key that identifies it. */
export function aliasKey(target: AliasTarget): { kind: AliasTarget['kind']; key: string } {
	switch (target.kind) {
		case 'production':
			return { kind: 'production', key: '' };
		case 'environment':
			return { kind: 'environment', key: target.environmentSlug };
		case 'branch':
			return { kind: 'branch', key: target.branch };
		case 'pull_request':
			return { kind: 'pull_request', key: String(target.number) };
	}
}

/** The immutable hostname of one deployment: `<project>-id-<7 chars of its id>.D`. */
export function deploymentHostname(args: {
	projectSlug: string;
	deploymentId: string;
	domain: string;
}) {
	const id = args.deploymentId.replace(/-/g, '').slice(0, 7);
	return `${toLabel([args.projectSlug, 'id', id])}.${args.domain}`.toLowerCase();
}
