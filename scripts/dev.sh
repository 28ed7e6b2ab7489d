#!/usr/bin/env bash
# `pnpm dev`: brings the whole archive up locally — PostgreSQL, Redis, database
# dandi_dev (migrated, with demo dandisets), the API on :8000 (PORT), the worker
# and the web app on :8085 (WEB_PORT). Ctrl-C stops every process it started.
# Settings: a .env file at the repository root overrides the defaults below.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"

if [ -f .env ]; then
  log "reading .env"
  set -a
  # shellcheck disable=SC1091
  source .env
  set +a
fi

ensure_postgres
ensure_redis
ensure_node_modules
ensure_schemas

export NODE_ENV="${NODE_ENV:-development}"
export PORT="${PORT:-8000}"
export DATABASE_URL="${DATABASE_URL:-$(ensure_database dandi_dev)}"
export REDIS_URL="${REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT}"
export STORAGE_BACKEND="${STORAGE_BACKEND:-local}"
export LOCAL_STORAGE_DIR="${LOCAL_STORAGE_DIR:-$REPO_ROOT/var/storage}"
export SESSION_SECRET="${SESSION_SECRET:-dev-session-secret-not-for-production-0123456789}"
export DANDI_API_URL="${DANDI_API_URL:-http://localhost:$PORT}"
WEB_PORT="${WEB_PORT:-8085}"
export DANDI_WEB_APP_URL="${DANDI_WEB_APP_URL:-http://localhost:$WEB_PORT}"
export CORS_ALLOWED_ORIGINS="${CORS_ALLOWED_ORIGINS:-$DANDI_WEB_APP_URL,http://127.0.0.1:$WEB_PORT}"
export WORKER_QUEUES="${WORKER_QUEUES:-default,checksum,analytics}"
export VITE_API_URL="${VITE_API_URL:-$DANDI_API_URL}"
mkdir -p "$LOCAL_STORAGE_DIR"

log "migrating $DATABASE_URL"
pnpm run --silent db:migrate >/dev/null || die "migration failed (run: pnpm run db:migrate)"
log "seeding demo dandisets"
node scripts/manage.mjs seed-demo || die "seed-demo failed"

PIDS=()
stop_all() {
  trap - INT TERM EXIT
  if [ "${#PIDS[@]}" -gt 0 ]; then
    log "stopping"
    # Each process runs in its own process group (setsid): stop the group, children included.
    for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
  fi
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

# start NAME DIR COMMAND...: runs COMMAND in DIR with its output prefixed by NAME.
start() {
  local name="$1" dir="$2"
  shift 2
  log "starting $name"
  setsid bash -c 'cd "$1" && shift && exec "$@"' _ "$dir" "$@" > >(sed -u "s/^/[$name] /") 2>&1 &
  PIDS+=("$!")
}

start api apps/api pnpm exec tsx watch src/server.ts
if [ -f apps/worker/package.json ]; then
  start worker apps/worker pnpm exec tsx src/main.ts
else
  warn "apps/worker does not exist: no background jobs (checksums, validation, stats)"
fi
if [ -f apps/web/package.json ]; then
  start web apps/web pnpm exec vite --port "$WEB_PORT" --strictPort
else
  warn "apps/web does not exist: API only"
fi

log "API: $DANDI_API_URL/api/  web: $DANDI_WEB_APP_URL  (Ctrl-C stops everything)"
log "API key for the dandi CLI: npm run manage -- createsuperuser --email you@example.org && npm run manage -- create-token --email you@example.org"
# Stop everything as soon as any one process exits.
wait -n "${PIDS[@]}" || true
warn "a process exited"
