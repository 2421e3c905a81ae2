#!/usr/bin/env bash
# Runs the whole test suite, on a fresh Debian/Ubuntu machine too (CI: .ci/run). It installs and
# starts what the tests need (Node 24, PostgreSQL, Redis, Docker engine, Caddy, Chromium), provisions
# a database role for the tests, then runs every step even when an earlier one fails:
#
#   lint (prettier + eslint) -> check (svelte-check) -> docs (every config variable documented)
#   -> build -> images (scripts/build-base-images.sh) -> vitest (unit + integration) -> playwright (e2e)
#
# The last line of output is `N passed, N failed` (tests from vitest and Playwright; a failed
# lint/check/docs/build/images step counts as one failure). Exit status is non-zero when anything failed.
# Results as JSON: test-results/vitest.json, test-results/e2e.json.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO"
suite_started=$SECONDS

# --- machine and services ----------------------------------------------------------------------
ensure_system_packages postgres redis docker caddy chromium
ensure_node24
ensure_postgres
ensure_redis
ensure_docker
ensure_caddy_installed
ensure_chromium
ensure_env_file
ensure_db_role
ensure_npm_deps

# Tests create a database per file from a template (tests/helpers/db.ts), so they need a role that
# may CREATE DATABASE: the local `slipway` role. Its password lives in .env.
if [ -z "${TEST_DATABASE_URL:-}" ]; then
	pw=$(slipway_db_password)
	[ -n "$pw" ] || die "DATABASE_URL in .env is not the local slipway role: set TEST_DATABASE_URL (a role with CREATEDB)"
	export TEST_DATABASE_URL="postgres://slipway:$pw@127.0.0.1:5432/postgres"
fi
# The test template (tests/helpers/db.ts) is rebuilt by every run; one left by a run under another
# role (e.g. postgres, the helpers' default) could not be dropped by ours. Called right before each
# runner, since other runs on this machine may rebuild it at any time.
own_test_template() {
	[[ "$TEST_DATABASE_URL" == postgres://slipway:* ]] || return 0
	pg_admin -At >/dev/null <<-'SQL' || warn "could not hand slipway_test_template to the slipway role"
		select 'alter database slipway_test_template owner to slipway'
		  from pg_database d join pg_roles r on r.oid = d.datdba
		  where d.datname = 'slipway_test_template' and r.rolname <> 'slipway' \gexec
	SQL
}
log "machine ready in $((SECONDS - suite_started)) s"

# --- steps -------------------------------------------------------------------------------------
set +e
mkdir -p test-results
STEP_TIMEOUT=${STEP_TIMEOUT:-900}
names=() statuses=() durations=() notes=()
failed_steps=0

# reap_step NAME: ends every process still carrying the step's marker in its environment. Killing
# `timeout`'s process group misses what a step started in a group of its own (Playwright's web
# server, servers spawned with `detached`), and those would hold ports for the next run.
reap_step() {
	local marker="SLIPWAY_TEST_STEP=$1-$$" sig p pids
	for sig in TERM KILL; do
		pids=()
		for p in /proc/[0-9]*; do
			tr '\0' '\n' 2>/dev/null <"$p/environ" | grep -qxF "$marker" && pids+=("${p#/proc/}")
		done
		[ ${#pids[@]} -eq 0 ] && return 0
		echo "$1: stopping ${#pids[@]} leftover process(es) with SIG$sig"
		kill -"$sig" "${pids[@]}" 2>/dev/null
		sleep 2
	done
}

# step NAME COMMAND...: runs COMMAND (killed after $STEP_TIMEOUT s), records status and duration.
# `timeout` puts the command in a process group of its own, which Ctrl-C on the terminal does not
# reach: the trap passes the interrupt on and stops the suite.
step() {
	local name=$1 t0=$SECONDS rc pid
	shift
	printf '\n==================== %s: %s\n' "$name" "$*"
	SLIPWAY_TEST_STEP="$name-$$" timeout --kill-after=30 "$STEP_TIMEOUT" "$@" </dev/null &
	pid=$!
	trap 'kill -INT "$pid" 2>/dev/null; wait "$pid"; echo "$name: interrupted by SIGINT"; reap_step "$name"; exit 130' INT
	trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; echo "$name: interrupted by SIGTERM"; reap_step "$name"; exit 143' TERM
	wait "$pid"
	rc=$?
	trap - INT TERM
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		echo "$name: timed out after ${STEP_TIMEOUT}s"
		reap_step "$name"
	fi
	names+=("$name")
	statuses+=("$rc")
	durations+=("$((SECONDS - t0))")
	notes+=("")
	return $rc
}

# Each of these counts as one failed "test" when it fails.
step lint npm run lint || failed_steps=$((failed_steps + 1))
step check npm run check || failed_steps=$((failed_steps + 1))
step docs bash scripts/check-config-docs.sh || failed_steps=$((failed_steps + 1))
step build npm run build || failed_steps=$((failed_steps + 1))
# Base and runner images for the deploy pipeline tests (no image registry is reachable here).
if [ -f scripts/build-base-images.sh ]; then
	step images bash scripts/build-base-images.sh || failed_steps=$((failed_steps + 1))
fi

rm -f test-results/vitest.json test-results/e2e.json
own_test_template
step vitest npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json

e2e_skipped=""
if [ ! -f playwright.config.ts ] || [ ! -d tests/e2e ]; then
	e2e_skipped="tests/e2e or playwright.config.ts does not exist yet"
elif [ -z "$(find tests/e2e -type f \( -name '*.spec.ts' -o -name '*.test.ts' \) -print -quit)" ]; then
	e2e_skipped="no test files under tests/e2e yet"
fi
if [ -n "$e2e_skipped" ]; then
	printf '\n==================== e2e: skipped (%s)\n' "$e2e_skipped"
	names+=(e2e) statuses+=(skip) durations+=(0) notes+=("$e2e_skipped")
else
	export PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/e2e.json
	own_test_template
	step e2e npx playwright test --reporter=list,json
fi

# --- summary -----------------------------------------------------------------------------------
# Test counts from the JSON reports; a runner that failed without reporting a failed test (crash,
# import error, timeout) counts as one failure so the total never looks green by accident.
counts() {
	# prints "passed failed flaky" for the report of one runner
	node --input-type=module - "$1" "$2" "$3" <<-'JS'
		import { existsSync, readFileSync } from 'node:fs';
		const [kind, file, rc] = process.argv.slice(2);
		let passed = 0, failed = 0, flaky = 0;
		if (existsSync(file)) {
			try {
				const r = JSON.parse(readFileSync(file, 'utf8'));
				if (kind === 'vitest') {
					passed = r.numPassedTests ?? 0;
					failed = r.numFailedTests ?? 0;
					// a test file that failed to load has no failed test of its own
					for (const f of r.testResults ?? [])
						if (f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')) failed++;
				} else {
					// flaky: passed on its one retry, allowed only after net::ERR_NETWORK_CHANGED (tests/e2e/test.ts)
					flaky = r.stats?.flaky ?? 0;
					passed = (r.stats?.expected ?? 0) + flaky;
					failed = r.stats?.unexpected ?? 0;
				}
			} catch {}
		}
		if (rc !== '0' && failed === 0) failed = 1;
		console.log(`${passed} ${failed} ${flaky}`);
	JS
}

total_passed=0
total_failed=$failed_steps
printf '\n==================== summary\n'
for i in "${!names[@]}"; do
	name=${names[$i]} rc=${statuses[$i]} detail=""
	case "$name" in
	vitest | e2e)
		if [ "$rc" != skip ]; then
			file=test-results/$name.json
			read -r p f k < <(counts "$name" "$file" "$rc")
			total_passed=$((total_passed + p))
			total_failed=$((total_failed + f))
			detail="$p passed, $f failed ($file)"
			[ "${k:-0}" -gt 0 ] && detail="$p passed ($k after a retry for a lost network request), $f failed ($file)"
		fi
		;;
	esac
	if [ "$rc" = skip ]; then
		status="SKIP"
		detail=${notes[$i]}
	elif [ "$rc" = 0 ]; then
		status="ok"
	elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		status="TIMEOUT"
	else
		status="FAIL (exit $rc)"
	fi
	printf '  %-8s %-16s %5ss  %s\n' "$name" "$status" "${durations[$i]}" "$detail"
done
echo "  total time $((SECONDS - suite_started)) s"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
