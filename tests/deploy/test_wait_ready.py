"""scripts/wait-ready.sh, the deploy workflows' last step, against a real running API:
200 from /api/health/ready → exit 0; a release whose migrations have not run (503) and a
closed port → non-zero, within the timeout."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

from conftest import REPO, free_port

SCRIPT = REPO / "scripts" / "wait-ready.sh"


def wait_ready(url: str, timeout: int = 30) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    result = subprocess.run(
        ["bash", str(SCRIPT), "--timeout", str(timeout), "--interval", "1", url],
        capture_output=True,
        text=True,
        timeout=timeout + 30,
    )
    return result, time.monotonic() - start


@pytest.fixture
def api(fresh_database: str, tmp_path: Path):
    """The API as the web dyno runs it, on a fresh database whose migrations have NOT run yet."""
    port = free_port()
    (tmp_path / "storage").mkdir()
    env = {
        **os.environ,
        "NODE_ENV": "production",
        "PORT": str(port),
        "DATABASE_URL": fresh_database,
        "SESSION_SECRET": uuid.uuid4().hex * 2,
        "DANDI_API_URL": f"http://127.0.0.1:{port}",
        "DANDI_WEB_APP_URL": "http://127.0.0.1:8085",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STORAGE_BACKEND": "local",
        "LOCAL_STORAGE_DIR": str(tmp_path / "storage"),
        "JOBS_PREFIX": f"dandi-deploy-{uuid.uuid4().hex[:8]}",
        "LOG_LEVEL": "warn",
    }
    server = REPO / "apps" / "api" / "dist" / "server.js"
    from_source = os.environ.get("DANDI_DEPLOY_TEST_FROM_SOURCE") == "1" or not server.exists()
    cmd = ["pnpm", "--filter", "@dandi/api", "exec", "tsx", "src/server.ts"] if from_source else ["node", str(server)]
    log = open(tmp_path / "api.log", "wb")
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            requests.get(f"{url}/api/health/live", timeout=2)
            break
        except requests.RequestException:
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"API did not start:\n{(tmp_path / 'api.log').read_text()}")
            time.sleep(0.3)
    try:
        yield url, env
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_not_ready_before_the_release_phase_then_ready_after_it(api):
    url, env = api
    # Before the release phase has migrated the new database: 503, so the deploy would fail.
    result, took = wait_ready(url, timeout=4)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "HTTP 503" in result.stderr and took < 4 + 12
    # The release phase (Procfile) migrates; the very same server becomes ready.
    subprocess.run(["pnpm", "run", "--silent", "db:migrate"], cwd=REPO, env=env, check=True, capture_output=True)
    result, _ = wait_ready(url, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ready after" in result.stdout


def test_a_closed_port_fails_within_the_timeout():
    port = free_port()
    result, took = wait_ready(f"http://127.0.0.1:{port}", timeout=3)
    assert result.returncode == 1
    assert "did not answer 200 within 3 s" in result.stderr
    assert took < 3 + 12


def test_a_server_that_never_answers_is_bounded_too():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)  # accepts the connection, never answers
        result, took = wait_ready(f"http://127.0.0.1:{s.getsockname()[1]}", timeout=3)
    assert result.returncode == 1
    assert took < 3 + 12


def test_bad_arguments_are_refused():
    result = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 2 and "usage:" in result.stderr
