export type EnvDiff = {
	added: string[];
	changed: string[];
	unchanged: string[];
	removed: string[];
};

/**
 * Compares the saved variables with a pasted set, for the preview before a bulk save.
 * A `null` current value is a secret whose value the caller did not decrypt: by default it counts
 * as changed, because saving would overwrite it and the user should see that. Pass
 * `unknownAs: 'unchanged'` when the save will keep secrets that were not re-entered.
 * Keys come back in input order: incoming order for added/changed/unchanged, saved order for removed.
 */
export function diffEnv({
	current,
	incoming,
	unknownAs = 'changed'
}: {
	current: Readonly<Record<string, string | null>>;
	incoming: Readonly<Record<string, string>>;
	unknownAs?: 'changed' | 'unchanged';
}): EnvDiff {
	const diff: EnvDiff = { added: [], changed: [], unchanged: [], removed: [] };
	for (const [key, value] of Object.entries(incoming)) {
		if (!Object.hasOwn(current, key)) {
			diff.added.push(key);
			continue;
		}
		const saved = current[key];
		const same = saved === null ? unknownAs === 'unchanged' : saved === value;
		(same ? diff.unchanged : diff.changed).push(key);
	}
	diff.removed = Object.keys(current).filter((key) => !Object.hasOwn(incoming, key));
	return diff;
}
