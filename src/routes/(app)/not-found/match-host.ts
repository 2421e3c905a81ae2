/** The parts of product.md §5 hostnames that may follow a project's slug in a DNS label. */
const SUFFIXES = ['-env-', '-branch-', '-pr-', '-id-'];

/**
 * The DNS label of `host` under the deploy domain (`shop-pr-4.apps.example.com` →
 * `shop-pr-4`), or null when the host is not a single label under it.
 */
export function deployLabel(host: string, domain: string): string | null {
	const name = host.trim().toLowerCase().replace(/\.$/, '');
	const suffix = `.${domain.toLowerCase()}`;
	if (!name.endsWith(suffix)) return null;
	const label = name.slice(0, -suffix.length);
	return /^[a-z0-9-]{1,63}$/.test(label) ? label : null;
}

/** Whether a label is one of project `slug`'s: `<slug>`, `<slug>-env-…`, `<slug>-branch-…`, … */
export function labelBelongsTo(label: string, slug: string): boolean {
	if (label === slug) return true;
	return SUFFIXES.some(
		(s) => label.startsWith(`${slug}${s}`) && label.length > slug.length + s.length
	);
}
