#!/usr/bin/env bash
# Polls <API_URL>/api/health/ready until it answers 200 (exit 0) or the timeout
# passes (exit 1). Used by the deploy workflows after a Heroku release, and by
# anyone checking a deployment: scripts/wait-ready.sh https://api.example.org
#
#   --timeout SECONDS   give up after this long (default 300; WAIT_READY_TIMEOUT)
#   --interval SECONDS  pause between attempts (default 5; WAIT_READY_INTERVAL)
#   --path PATH         the readiness path (default /api/health/ready)
set -uo pipefail

timeout="${WAIT_READY_TIMEOUT:-300}"
interval="${WAIT_READY_INTERVAL:-5}"
path="/api/health/ready"
url=""
usage() {
  echo "usage: $0 [--timeout SECONDS] [--interval SECONDS] [--path PATH] API_URL" >&2
  exit 2
}
while [ "$#" -gt 0 ]; do
  case "$1" in
    --timeout) timeout="${2:-}" && shift 2 ;;
    --interval) interval="${2:-}" && shift 2 ;;
    --path) path="${2:-}" && shift 2 ;;
    -h | --help) usage ;;
    -*) usage ;;
    *) [ -z "$url" ] || usage && url="$1" && shift ;;
  esac
done
[ -n "$url" ] || usage
[[ "$timeout" =~ ^[0-9]+$ && "$interval" =~ ^[0-9]+$ ]] || usage
target="${url%/}${path}"

start=$SECONDS
deadline=$((start + timeout))
attempt=0
while :; do
  attempt=$((attempt + 1))
  left=$((deadline - SECONDS))
  # Each attempt is bounded too, so a server that accepts and never answers cannot hold us.
  max=$((left < 10 ? (left < 1 ? 1 : left) : 10))
  body="$(curl -sS -o /dev/stdout -w '\n%{http_code}' --max-time "$max" --connect-timeout "$max" "$target" 2>&1)"
  code="${body##*$'\n'}"
  body="${body%$'\n'*}"
  if [ "$code" = "200" ]; then
    echo "ready after $((SECONDS - start)) s ($attempt attempts): $target"
    exit 0
  fi
  echo "not ready (attempt $attempt, HTTP ${code:-none}): ${body:0:300}" >&2
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "error: $target did not answer 200 within ${timeout} s" >&2
    exit 1
  fi
  sleep "$(((deadline - SECONDS) < interval ? (deadline - SECONDS > 0 ? deadline - SECONDS : 0) : interval))"
done
