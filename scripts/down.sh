#!/usr/bin/env bash
# Stops what scripts/up.sh started: web, worker and its own Caddy (by their pid files under
# .slipway/run/; Caddy keeps its certificates and last config in .slipway/caddy/ for the next start).
# PostgreSQL, Redis and the Docker engine are shared system services and keep running.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# web first: it stops taking requests while the worker finishes its running jobs
stop_pidfile web 'build'
stop_pidfile worker 'dist/worker.js' 60
stop_pidfile caddy 'caddy run'
log "Slipway is stopped (PostgreSQL, Redis and Docker keep running)"
