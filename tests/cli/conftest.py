"""Fixtures that bring up a real archive for the real `dandi` CLI.

Each backend gets its own PostgreSQL database, its own storage (a temp folder for
`local`, a moto_server bucket for `s3`) and its own API process, started exactly as
a deployment starts it (`node apps/api/dist/server.js`, configured by environment).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
PG_ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    last: Exception | None = None
    while time.time() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException as e:  # not up yet
            last = e
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up: {last}")


def psql(sql: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True)


def drop_redis_keys(redis_url: str, prefix: str) -> None:
    """Deletes an archive's BullMQ keys (its queued jobs and a worker's schedulers)."""
    if not shutil.which("redis-cli"):
        return
    redis = ["redis-cli", "-u", redis_url]
    keys = subprocess.run([*redis, "--scan", "--pattern", f"{prefix}:*"], capture_output=True, text=True).stdout.split()
    for i in range(0, len(keys), 500):
        subprocess.run([*redis, "del", *keys[i : i + 500]], capture_output=True)


def db_url(name: str) -> str:
    base, _, _ = PG_ADMIN.rpartition("/")
    return f"{base}/{name}"


@dataclass
class Archive:
    backend: str
    api_url: str  # e.g. http://127.0.0.1:PORT (no /api)
    api_key: str
    env: dict[str, str]  # environment for dandi CLI subprocesses
    server_env: dict[str, str] = field(default_factory=dict)  # the API's environment (for a worker process)

    @property
    def api(self) -> str:
        return f"{self.api_url}/api"

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.api_key}"}

    def create_dandiset(self, name: str) -> str:
        r = requests.post(
            f"{self.api}/dandisets/",
            json={"name": name, "metadata": {"name": name, "description": f"{name}: CLI end-to-end test data"}},
            headers=self.headers(),
            timeout=30,
        )
        r.raise_for_status()
        return r.json()["identifier"]

    def dandi(self, *args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        exe = os.environ.get("DANDI_BIN") or shutil.which("dandi") or str(Path(sys.executable).parent / "dandi")
        proc = subprocess.run(
            [exe, *args], cwd=cwd, env=self.env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"dandi {' '.join(args)} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
            )
        return proc


def manage(env: dict[str, str], *args: str) -> str:
    proc = subprocess.run(
        ["npm", "run", "--silent", "manage", "--", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"manage {args} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def start_moto(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    exe = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    log = open(tmp / "moto.log", "wb")
    proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_http(url)
    return proc, url


@pytest.fixture(scope="module", params=["local", "s3"])
def archive(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    backend: str = request.param
    tmp = tmp_path_factory.mktemp(f"archive-{backend}")
    db_name = f"dandi_cli_{backend}_{uuid.uuid4().hex[:8]}"
    psql(f'CREATE DATABASE "{db_name}"')
    procs: list[subprocess.Popen[bytes]] = []
    port = free_port()
    api_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "NODE_ENV": "production",
        "DATABASE_URL": db_url(db_name),
        "PORT": str(port),
        "DANDI_API_URL": api_url,
        "DANDI_WEB_APP_URL": "http://127.0.0.1:8085",
        "SESSION_SECRET": uuid.uuid4().hex + uuid.uuid4().hex,
        "LOG_LEVEL": "warn",
        "STORAGE_BACKEND": backend,
        "LOCAL_STORAGE_DIR": str(tmp / "storage"),
        # Its own BullMQ keys: a worker started for this archive never sees another's jobs.
        "JOBS_PREFIX": f"dandi-cli-{db_name}",
    }
    try:
        if backend == "s3":
            moto, moto_url = start_moto(tmp)
            procs.append(moto)
            import boto3

            boto3.client(
                "s3", endpoint_url=moto_url, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
            ).create_bucket(Bucket="dandi-cli-test")
            env.update(
                {
                    "S3_BUCKET": "dandi-cli-test",
                    "S3_ENDPOINT_URL": moto_url,
                    "S3_REGION": "us-east-1",
                    "AWS_ACCESS_KEY_ID": "test",
                    "AWS_SECRET_ACCESS_KEY": "test",
                }
            )
        subprocess.run(["pnpm", "run", "--silent", "db:migrate"], cwd=REPO, env=env, check=True, capture_output=True)
        manage(env, "createsuperuser", "--email", "admin@nil.nil")
        out = manage(env, "create-token", "--email", "admin@nil.nil")
        m = re.search(r"^Generated token (\w+) for user admin@nil\.nil$", out, re.M)
        assert m, f"unexpected create-token output: {out!r}"
        key = m.group(1)

        server = REPO / "apps" / "api" / "dist" / "server.js"
        # DANDI_CLI_TEST_FROM_SOURCE=1 runs src/server.ts (no build needed while changing the API).
        from_source = os.environ.get("DANDI_CLI_TEST_FROM_SOURCE") == "1"
        cmd = ["node", str(server)] if server.exists() and not from_source else ["pnpm", "--filter", "@dandi/api", "exec", "tsx", "src/server.ts"]
        log = open(tmp / "api.log", "wb")
        procs.append(subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT))
        wait_http(f"{api_url}/api/info/")

        # The CLI names an unknown instance after host:port; its API key variable follows.
        instance = f"127.0.0.1:{port}"
        cli_env = {
            **os.environ,
            "DANDI_NO_ET": "1",
            # --allow-any-path (upload of non-NWB files) is a development option of the CLI.
            "DANDI_DEVEL": "1",
            "DANDI_CACHE": "ignore",
            f"{instance.upper().replace('-', '_')}_API_KEY": key,
            "HOME": str(tmp / "home"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
        (tmp / "home").mkdir()
        yield Archive(backend=backend, api_url=api_url, api_key=key, env=cli_env, server_env=env)
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        log_file = tmp / "api.log"
        if log_file.exists() and request.session.testsfailed:
            sys.stderr.write(f"\n--- API log ({backend}) ---\n{log_file.read_text()[-5000:]}\n")
        psql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        drop_redis_keys(env.get("REDIS_URL", "redis://127.0.0.1:6379"), env["JOBS_PREFIX"])
