#!/usr/bin/env bash
# Brings up a working Slipway instance on this machine (Debian/Ubuntu, as root). Safe to run again:
# it installs and starts only what is missing, then rebuilds and restarts web and worker.
#
#   bash scripts/up.sh        # then open the printed URL; stop with: bash scripts/down.sh
#
# Steps: Node 24, PostgreSQL, Redis, Docker engine, Caddy (installed and started if missing) ->
# role/database `slipway` and .env -> npm ci (when the lockfile changed) -> npm run build ->
# npm run migrate -> restart web (`node build`) and worker (`node dist/worker.js`) in the
# background -> Caddy with its admin API on 127.0.0.1:2019 -> wait for /readyz.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO"
started=$SECONDS
mkdir -p "$RUN_DIR" "$LOG_DIR"

ensure_system_packages postgres redis docker caddy
ensure_node24
ensure_postgres
ensure_redis
ensure_docker
ensure_caddy_installed
ensure_env_file
ensure_db_role
ensure_npm_deps

log "npm run build"
npm run build --silent >"$STATE_DIR/build.log" 2>&1 || {
	tail -n 40 "$STATE_DIR/build.log" >&2
	die "npm run build failed (full log: $STATE_DIR/build.log)"
}

# From here on, every process gets the configuration in .env.
load_env_file
port=${PORT:-3000}
host=${HOST:-127.0.0.1}

log "npm run migrate"
npm run migrate --silent || die "migrations failed"

stop_pidfile worker 'dist/worker.js'
stop_pidfile web 'build'

# Something else on our port would answer /readyz in place of the server we are about to start.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
	die "port $port is already in use by another process: stop it or set PORT in .env"
fi

# Node's compile cache keeps V8's compiled code of build/ between restarts, so a restart skips most
# parsing and compiling. Node checks every entry against the file and recompiles stale ones;
# deleting the folder is always safe.
compile_cache=${NODE_COMPILE_CACHE:-$STATE_DIR/compile-cache}
log "starting web on $host:$port (log: .slipway/logs/web.log)"
start_detached web env NODE_COMPILE_CACHE="$compile_cache" node build
log "starting worker (log: .slipway/logs/worker.log)"
start_detached worker node dist/worker.js

# Caddy: the data plane. Routes arrive with the proxy module; for now only the admin API is
# configured. `--resume` prefers the last config Caddy saved (autosave.json) over the bootstrap.
caddy_admin=127.0.0.1:2019
if curl -fsS -o /dev/null "http://$caddy_admin/config/" 2>/dev/null; then
	log "Caddy admin API already answers on $caddy_admin"
else
	mkdir -p "$STATE_DIR/caddy/data" "$STATE_DIR/caddy/config"
	bootstrap="$STATE_DIR/caddy/bootstrap.json"
	printf '{"admin":{"listen":"%s"}}\n' "$caddy_admin" >"$bootstrap"
	log "starting Caddy, admin API on $caddy_admin (log: .slipway/logs/caddy.log)"
	start_detached caddy env XDG_DATA_HOME="$STATE_DIR/caddy/data" \
		XDG_CONFIG_HOME="$STATE_DIR/caddy/config" caddy run --resume --config "$bootstrap"
	wait_for 15 curl -fsS -o /dev/null "http://$caddy_admin/config/" || {
		tail -n 20 "$LOG_DIR/caddy.log" >&2
		die "Caddy did not start"
	}
fi

url="http://127.0.0.1:$port"
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")" = 200 ]; }
if ! wait_for 30 ready; then
	echo "--- .slipway/logs/web.log (tail)" >&2
	tail -n 30 "$LOG_DIR/web.log" >&2
	echo "--- /readyz: $(curl -s "$url/readyz")" >&2
	die "the web server did not become ready at $url/readyz"
fi
pid_alive "$RUN_DIR/worker.pid" 'dist/worker.js' || {
	tail -n 30 "$LOG_DIR/worker.log" >&2
	die "the worker exited right after starting"
}

cat <<EOF

Slipway is up at ${ORIGIN:-$url}   (ready in $((SECONDS - started)) s)
  web     pid $(cat "$RUN_DIR/web.pid"), log .slipway/logs/web.log
  worker  pid $(cat "$RUN_DIR/worker.pid"), log .slipway/logs/worker.log
  caddy   admin API http://$caddy_admin
  config  .env (see README.md, "Configuration")
Stop it with: bash scripts/down.sh
EOF
