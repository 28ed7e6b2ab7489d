#!/usr/bin/env bash
# `pnpm dev`: brings the whole archive up locally — PostgreSQL, Redis, database
# dandi_dev (migrated, with demo dandisets), the API on :8000 (PORT), the worker
# and the web app on :8085 (WEB_PORT). Ctrl-C stops every process it started.
# Settings: the environment, then a .env file at the repository root, then the development
# defaults of scripts/lib/dev-env.mjs (which `npm run manage -- ...` reads too).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"

ensure_postgres
ensure_redis
ensure_node_modules
ensure_schemas
# pynwb writes the demo archive's NWB files (seed-demo --full).
ensure_venv "pynwb=pynwb"

# The environment, then .env, then the development defaults: the same settings as
# `npm run manage -- ...` (scripts/lib/dev-env.mjs), so both reach the same database and storage.
[ -f .env ] && log "reading .env"
eval "$(node scripts/lib/dev-env.mjs)"
[ "$DATABASE_URL" = "${PG_ADMIN_URL%/*}/dandi_dev" ] && ensure_database dandi_dev >/dev/null
mkdir -p "$LOCAL_STORAGE_DIR"

log "migrating $DATABASE_URL"
pnpm run --silent db:migrate >/dev/null || die "migration failed (run: pnpm run db:migrate)"
log "seeding the demo archive (idempotent: a second run adds nothing)"
SEED_LOG="$(mktemp)"
node scripts/manage.mjs seed-demo --full | tee "$SEED_LOG" || die "seed-demo failed"

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
# The demo accounts seed-demo printed (development only): sign-in e-mails and passwords.
sed -n '/^Demo accounts/,$p' "$SEED_LOG" | while IFS= read -r line; do log "$line"; done
rm -f "$SEED_LOG"
log "API key for the dandi CLI: sign in, then Account → Generate a new API key (or: npm run manage -- create-token --email demo@example.org)"
# Stop everything as soon as any one process exits.
wait -n "${PIDS[@]}" || true
warn "a process exited"
