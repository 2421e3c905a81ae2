#!/usr/bin/env bash
# Development only: regenerates the newest, not yet released migration from the schema after an
# edit (drops drizzle/NNNN_<name>.sql, its snapshot and journal entry, then runs drizzle-kit).
# Usage: bash scripts/regen-migration.sh 0003 github
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=$1 name=$2
rm -f "drizzle/${n}_"*.sql "drizzle/meta/${n}_snapshot.json"
node -e '
const fs = require("fs"); const p = "drizzle/meta/_journal.json";
const j = JSON.parse(fs.readFileSync(p, "utf8"));
j.entries = j.entries.filter((e) => !e.tag.startsWith(process.argv[1] + "_"));
fs.writeFileSync(p, JSON.stringify(j, null, 2) + "\n");' "$n"
npx drizzle-kit generate --name "$name" >/dev/null
npx prettier --write drizzle/meta >/dev/null 2>&1 || true
ls "drizzle/${n}_"*.sql
