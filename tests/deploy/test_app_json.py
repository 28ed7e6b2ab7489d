"""app.json: valid against Heroku's app.json schema (SchemaStore's, vendored), every config
var a setting the code reads, and the release and review-app postdeploy commands work on a
fresh database exactly as Heroku runs them (a shell in the repository root)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import uuid
from pathlib import Path

from conftest import REPO, procfile, psql, tool

SCHEMA = Path(__file__).parent / "schemas" / "heroku-app.schema.json"
APP = json.loads((REPO / "app.json").read_text())
SETTINGS = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (REPO / ".env.example").read_text(), re.M))


def check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool("check-jsonschema"), "--schemafile", str(SCHEMA), str(path)], capture_output=True, text=True
    )


def test_app_json_matches_herokus_schema():
    result = check_jsonschema(REPO / "app.json")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_can_fail(tmp_path: Path):
    broken = json.loads(json.dumps(APP))
    broken["environments"]["review"]["env"]["SESSION_SECRET"]["generator"] = "uuid"
    broken["formation"]["web"]["quantity"] = "one"
    (tmp_path / "app.json").write_text(json.dumps(broken))
    result = check_jsonschema(tmp_path / "app.json")
    assert result.returncode == 1
    assert "'uuid' does not match '^secret$'" in result.stdout or "uuid" in result.stdout, result.stdout


def test_every_config_var_is_a_setting_and_nothing_secret_is_in_the_file():
    heroku_set = {"NODE_ENV", "CI"}
    for where, env in (("env", APP["env"]), ("review", APP["environments"]["review"]["env"])):
        for name, spec in env.items():
            assert name in SETTINGS or name in heroku_set, f"{where}.{name} is not a setting of .env.example"
            if re.search(r"SECRET|PASSWORD|TOKEN|_KEY$|DSN", name):
                assert "value" not in spec, f"{where}.{name} must be generated or set by the operator"
    assert APP["env"]["SESSION_SECRET"] == {**APP["env"]["SESSION_SECRET"], "generator": "secret"}
    assert APP["environments"]["review"]["env"]["SESSION_SECRET"]["generator"] == "secret"


def test_heroku_ci_environment():
    test = APP["environments"]["test"]
    assert test["addons"] == ["heroku-postgresql:in-dyno", "heroku-redis:in-dyno"]
    script = test["scripts"]["test"]
    for part in ("pnpm run lint", "pnpm run typecheck", "pnpm run test:unit", 'TEST_POSTGRES_URL="$DATABASE_URL"'):
        assert part in script
    # The vitest suites read the Redis add-on's REDIS_URL as they are; the test env sets no URL of its own.
    assert not {"DATABASE_URL", "REDIS_URL"} & set(test["env"])


def run_like_heroku(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


def test_release_then_postdeploy_on_a_fresh_database(fresh_database: str, tmp_path: Path):
    env = {
        **os.environ,
        "NODE_ENV": "production",
        "DATABASE_URL": fresh_database,
        "SESSION_SECRET": uuid.uuid4().hex * 2,
        "DANDI_API_URL": "https://review-app.herokuapp.com",
        "DANDI_WEB_APP_URL": "https://deploy-preview-1--dandi.netlify.app",
        "ALLOWED_HOSTS": ".herokuapp.com",
        "STORAGE_BACKEND": "local",
        "LOCAL_STORAGE_DIR": str(tmp_path / "storage"),
        "JOBS_PREFIX": f"dandi-deploy-{uuid.uuid4().hex[:8]}",
        "LOG_LEVEL": "warn",
    }
    release = procfile()["release"]
    postdeploy = APP["environments"]["review"]["scripts"]["postdeploy"]
    assert "db:migrate" in release and "seed-demo" in postdeploy

    result = run_like_heroku(release, env)
    assert result.returncode == 0, result.stdout + result.stderr
    migrations = sorted(p.name for p in (REPO / "prisma" / "migrations").iterdir() if (p / "migration.sql").exists())
    applied = psql(fresh_database, "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1")
    assert applied.split() == migrations
    tables = set(psql(fresh_database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").split())
    assert {"users", "dandisets", "versions", "assets", "asset_blobs", "application_stats"} <= tables

    # postdeploy twice: a review app redeployed from scratch must not fail or duplicate the demo archive.
    for _ in range(2):
        result = run_like_heroku(postdeploy, env)
        assert result.returncode == 0, result.stdout + result.stderr
    demo = psql(
        fresh_database,
        "SELECT count(DISTINCT d.id) FROM dandisets d JOIN dandiset_owners o ON o.dandiset_id = d.id "
        "JOIN users u ON u.id = o.user_id WHERE u.email = 'demo@example.org'",
    )
    assert demo == "5"
    assert psql(fresh_database, "SELECT count(*) FROM versions WHERE version = 'draft'") == "5"
