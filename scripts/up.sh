#!/usr/bin/env bash
# Brings up a working Slipway instance on this machine (Debian/Ubuntu, as root). Safe to run again:
# it installs and starts only what is missing, then rebuilds and restarts web and worker.
#
#   bash scripts/up.sh        # then open the printed URL; stop with: bash scripts/down.sh
#
# Steps: Node 24, PostgreSQL, Redis, Docker engine, Caddy (installed and started if missing) ->
# role/database `slipway` and .env -> npm ci (when the lockfile changed) -> npm run build ->
# npm run migrate -> Caddy (ours, admin API on 127.0.0.1:2019, started unless it runs) -> restart
# web (`node build`) and worker (`node dist/worker.js`) in the background -> wait for /readyz,
# directly and through Caddy.
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

# Caddy: the data plane, run by us (not the distribution's service) with its admin API on
# CADDY_ADMIN_URL. It starts before the worker, which pushes the route table when it starts and
# re-pushes it within ~2 s whenever Caddy comes back without it. `--resume` prefers the config
# Caddy saved last (autosave.json under .slipway/caddy/config) over the bootstrap, which is the
# same config with no app routes: the dashboard and the "deployment not found" page.
export CADDY_VERSION=${CADDY_VERSION:-$(caddy_version)}
caddy_admin=${CADDY_ADMIN_URL:-http://127.0.0.1:2019}
caddy_admin=${caddy_admin#http://}
caddy_admin=${caddy_admin%%/*}
proxy_mode=${SLIPWAY_PROXY_MODE:-local}
if [ "$proxy_mode" = production ]; then proxy_port=${SLIPWAY_PROXY_PORT:-80}; else proxy_port=${SLIPWAY_PROXY_PORT:-8080}; fi
if pid_alive "$RUN_DIR/caddy.pid" 'caddy run'; then
	log "Caddy already runs (pid $(cat "$RUN_DIR/caddy.pid")); the worker pushes the routes"
else
	stop_distro_caddy
	if (exec 3<>"/dev/tcp/${caddy_admin%:*}/${caddy_admin##*:}") 2>/dev/null; then
		die "something else listens on $caddy_admin (Caddy's admin API): stop it, or set CADDY_ADMIN_URL in .env"
	fi
	if (exec 3<>"/dev/tcp/127.0.0.1/$proxy_port") 2>/dev/null; then
		die "port $proxy_port is already in use by another process: stop it or set SLIPWAY_PROXY_PORT in .env"
	fi
	mkdir -p "$STATE_DIR/caddy/data" "$STATE_DIR/caddy/config"
	bootstrap="$STATE_DIR/caddy/bootstrap.json"
	node scripts/caddy-bootstrap.ts >"$bootstrap" || die "could not write Caddy's bootstrap config"
	log "starting Caddy $CADDY_VERSION, admin API on $caddy_admin, $proxy_mode mode on port $proxy_port (log: .slipway/logs/caddy.log)"
	start_detached caddy env XDG_DATA_HOME="$STATE_DIR/caddy/data" \
		XDG_CONFIG_HOME="$STATE_DIR/caddy/config" caddy run --resume --config "$bootstrap"
	wait_for 15 curl -fsS -o /dev/null "http://$caddy_admin/config/" || {
		tail -n 20 "$LOG_DIR/caddy.log" >&2
		die "Caddy did not start"
	}
fi

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
# GitHub's webhook deliveries reach 25 MB; other routes keep a 512 KiB cap of their own
# (src/lib/server/http/body-limit.ts).
start_detached web env NODE_COMPILE_CACHE="$compile_cache" BODY_SIZE_LIMIT="${BODY_SIZE_LIMIT:-25M}" node build
log "starting worker (log: .slipway/logs/worker.log)"
start_detached worker node dist/worker.js

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
dashboard=${ORIGIN:-$url}
# The dashboard through Caddy, as a browser reaches it (local mode; production needs DNS and TLS).
if [ "$proxy_mode" = local ]; then
	via_caddy() {
		[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: ${APP_HOSTNAME:-localhost}" \
			"http://127.0.0.1:$proxy_port/readyz")" = 200 ]
	}
	wait_for 15 via_caddy || {
		tail -n 20 "$LOG_DIR/caddy.log" >&2
		die "the dashboard does not answer through Caddy at http://127.0.0.1:$proxy_port (Host: ${APP_HOSTNAME:-localhost})"
	}
fi

cat <<EOF

Slipway is up at $dashboard   (ready in $((SECONDS - started)) s)
  web     pid $(cat "$RUN_DIR/web.pid"), $url behind Caddy, log .slipway/logs/web.log
  worker  pid $(cat "$RUN_DIR/worker.pid"), log .slipway/logs/worker.log
  caddy   pid $(cat "$RUN_DIR/caddy.pid"), $proxy_mode mode on port $proxy_port, admin API http://$caddy_admin, log .slipway/logs/caddy.log
  config  .env (see README.md, "Configuration")
Stop it with: bash scripts/down.sh
EOF
