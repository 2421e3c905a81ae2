#!/usr/bin/env bash
# Fails when a variable of src/lib/server/config.ts is missing from README.md's configuration table
# or from .env.example, so the docs cannot drift from the code unnoticed (scripts/test.sh runs it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

keys=$(sed -n '/^const schema = z.object({/,/^});/p' src/lib/server/config.ts |
	grep -oE '^[[:space:]]+[A-Z][A-Z0-9_]+:' | tr -d ' \t:')
[ -n "$keys" ] || {
	echo "found no variables in src/lib/server/config.ts (has its schema moved?)"
	exit 1
}
missing=0
for key in $keys; do
	if ! grep -qF "| \`$key\`" README.md; then
		echo "README.md: $key is not in the configuration table"
		missing=1
	fi
	if ! grep -qE "^#? ?$key=" .env.example; then
		echo ".env.example: $key is missing"
		missing=1
	fi
done
[ $missing -eq 0 ] && echo "all $(wc -w <<<"$keys") variables of src/lib/server/config.ts are documented"
exit $missing
