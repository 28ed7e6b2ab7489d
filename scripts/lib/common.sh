# Shared helpers for scripts/dev.sh, scripts/test.sh and .ci/run (sourced, not executed).
# They make PostgreSQL, Redis, the Python venv and the generated JSON Schemas
# available, starting or creating what is missing, as docs/environment facts say.

REPO_ROOT="${REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
PG_ADMIN_URL="${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
VENV="$REPO_ROOT/.venv"
# Keep CI logs free of the telemetry banner.
export TURBO_TELEMETRY_DISABLED=1

log() { printf '\033[1;34m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[1;33mwarning: %s\033[0m\n' "$*" >&2; }
die() {
  printf '\033[1;31merror: %s\033[0m\n' "$*" >&2
  exit 1
}

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

postgres_answers() { psql "$PG_ADMIN_URL" -Atqc 'select 1' >/dev/null 2>&1; }

# PostgreSQL on 127.0.0.1:5432, trust auth for user postgres (tests connect without a password).
ensure_postgres() {
  command -v psql >/dev/null || die "psql not found: install PostgreSQL (apt-get install -y postgresql)"
  postgres_answers && return 0
  log "PostgreSQL does not answer at $PG_ADMIN_URL: starting it"
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
  [ -n "$version" ] || die "no PostgreSQL cluster in /etc/postgresql"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    postgres_answers && return 0
    # A fresh Debian cluster asks TCP clients for a password: trust local ones instead.
    if [ -f "/etc/postgresql/$version/main/pg_hba.conf" ] &&
      ! grep -q '^host all all 127.0.0.1/32 trust' "/etc/postgresql/$version/main/pg_hba.conf" &&
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main status >/dev/null 2>&1; then
      log "allowing local TCP connections without a password (pg_hba.conf)"
      as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "/etc/postgresql/$version/main/pg_hba.conf"
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
    fi
    sleep 1
  done
  die "PostgreSQL did not come up at $PG_ADMIN_URL"
}

redis_answers() {
  if command -v redis-cli >/dev/null; then
    [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
  else
    (exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT" && printf 'PING\r\n' >&3 && read -r -t 2 line <&3 && [[ "$line" == +PONG* ]]) 2>/dev/null
  fi
}

ensure_redis() {
  redis_answers && return 0
  command -v redis-server >/dev/null || die "redis-server not found: install it (apt-get install -y redis-server)"
  log "Redis does not answer at $REDIS_HOST:$REDIS_PORT: starting it"
  redis-server --daemonize yes --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
  for _ in $(seq 1 20); do
    redis_answers && return 0
    sleep 0.5
  done
  die "Redis did not come up at $REDIS_HOST:$REDIS_PORT"
}

# Creates database $1 on the admin server if it does not exist; prints its URL.
ensure_database() {
  local name="$1"
  if [ "$(psql "$PG_ADMIN_URL" -Atqc "select 1 from pg_database where datname = '$name'")" != "1" ]; then
    log "creating database $name" >&2
    psql "$PG_ADMIN_URL" -qc "CREATE DATABASE \"$name\"" >/dev/null
  fi
  printf '%s/%s\n' "${PG_ADMIN_URL%/*}" "$name"
}

# A Python venv at .venv with the given pip requirements ("module=requirement" pairs,
# installed only when `import module` fails).
ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating the Python venv at .venv"
    python3 -m venv "$VENV" || die "python3 -m venv failed (apt-get install -y python3-venv)"
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null || true
  fi
  local missing=() pair
  for pair in "$@"; do
    "$VENV/bin/python" -c "import ${pair%%=*}" >/dev/null 2>&1 || missing+=("${pair#*=}")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "pip install ${missing[*]}"
    "$VENV/bin/python" -m pip install -q "${missing[@]}" || die "pip install ${missing[*]} failed"
  fi
}

# DANDI's JSON Schemas in ./schemas, written by dandischema (never committed).
ensure_schemas() {
  [ -f "$REPO_ROOT/schemas/versions.json" ] && return 0
  ensure_venv "dandischema=dandischema"
  log "generating the DANDI JSON Schemas into schemas/"
  "$VENV/bin/python" "$REPO_ROOT/scripts/generate-schemas.py" "$REPO_ROOT/schemas"
}

# node_modules and the generated Prisma client.
ensure_node_modules() {
  command -v pnpm >/dev/null || die "pnpm not found: npm i -g pnpm@10"
  if [ ! -d "$REPO_ROOT/node_modules/.pnpm" ] || [ ! -d "$REPO_ROOT/packages/db/generated/client" ]; then
    log "pnpm install"
    (cd "$REPO_ROOT" && pnpm install --frozen-lockfile) || die "pnpm install failed"
  fi
}
