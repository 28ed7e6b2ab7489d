#!/usr/bin/env python3
"""Bounded schemathesis run against the built API (`pnpm test` step test:api-fuzz).

Starts `node apps/api/dist/server.js` (built by `pnpm build`; FUZZ_FROM_SOURCE=1 runs
src/server.ts through tsx instead) on a fresh database with the local storage
backend, seeds a little data (the demo dandisets, a dandiset of the fuzzing user
with one uploaded asset, an embargoed one), then fuzzes /api/openapi.json twice:
anonymous, and as an approved user with an API key. Fails on any 5xx and on any
response that the document does not describe (status code, content type, headers,
body schema), and on the other checks of schemathesis except EXCLUDED_CHECKS below.

Deterministic: a fixed seed, a fixed number of examples per operation, one worker,
no example database, and no time budget (schemathesis's --max-time keeps fuzzing until
the budget is spent, so where it stops would vary); FUZZ_TIMEOUT kills a run that
hangs. Phases: examples and fuzzing. The coverage phase is left out (its case count
grows with every parameter's boundary values and takes over ten minutes here, beyond
a CI step's budget), and so is the stateful one (it needs OpenAPI links, which the
document does not declare).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379")
SEED = os.environ.get("FUZZ_SEED", "20261201")
MAX_EXAMPLES = os.environ.get("FUZZ_MAX_EXAMPLES", "10")
TIMEOUT = float(os.environ.get("FUZZ_TIMEOUT", "300"))
ST = str(Path(sys.executable).parent / "st")

# Every schemathesis check except:
# - positive_data_acceptance: DANDI validates more than a JSON Schema can say (a metadata
#   document against dandischema, species that must exist, a digest that must name a
#   stored blob, a dandiset the caller must own), so a schema-valid request is often a
#   correct 400 or 409; schemathesis would report each as a failure.
# - use_after_free / ensure_resource_availability / object_level_authorization: they need
#   OpenAPI links between operations, which the document does not declare.
EXCLUDED_CHECKS = "positive_data_acceptance,use_after_free,ensure_resource_availability,object_level_authorization"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(msg: str) -> None:
    print(f"\033[1;34m==> {msg}\033[0m", flush=True)


def psql(sql: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True)


def manage(env: dict[str, str], *args: str) -> str:
    proc = subprocess.run(
        ["npm", "run", "--silent", "manage", "--", *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise RuntimeError(f"manage {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the API exited with {proc.returncode} before answering")
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def upload_asset(api: str, headers: dict[str, str], dandiset: str, path: str, data: bytes) -> None:
    """One file through DANDI's upload protocol (initialize, PUT, complete, validate, asset)."""
    md5 = hashlib.md5(data).digest()
    etag = hashlib.md5(md5).hexdigest() + "-1"
    r = requests.post(
        f"{api}/uploads/initialize/",
        json={"contentSize": len(data), "digest": {"algorithm": "dandi:dandi-etag", "value": etag}, "dandiset": dandiset},
        headers=headers,
        timeout=30,
    )
    r.raise_for_status()
    init = r.json()
    part = init["parts"][0]
    put = requests.put(part["upload_url"], data=data, headers={"Content-MD5": base64.b64encode(md5).decode()}, timeout=30)
    put.raise_for_status()
    r = requests.post(
        f"{api}/uploads/{init['upload_id']}/complete/",
        json={"parts": [{"part_number": 1, "size": len(data), "etag": put.headers.get("ETag", md5.hex()).strip('"')}]},
        headers=headers,
        timeout=30,
    )
    r.raise_for_status()
    done = r.json()
    requests.post(done["complete_url"], data=done["body"], timeout=30).raise_for_status()
    r = requests.post(f"{api}/uploads/{init['upload_id']}/validate/", headers=headers, timeout=30)
    r.raise_for_status()
    blob_id = r.json()["blob_id"]
    r = requests.post(
        f"{api}/dandisets/{dandiset}/versions/draft/assets/",
        json={"blob_id": blob_id, "metadata": {"path": path}},
        headers=headers,
        timeout=30,
    )
    r.raise_for_status()


def seed(api: str, key: str) -> None:
    headers = {"Authorization": f"token {key}"}
    r = requests.post(
        f"{api}/dandisets/",
        json={"name": "Fuzz data", "metadata": {"name": "Fuzz data", "description": "Data for the API fuzz run"}},
        headers=headers,
        timeout=30,
    )
    r.raise_for_status()
    dandiset = r.json()["identifier"]
    upload_asset(api, headers, dandiset, "sub-01/sub-01_ses-01.nwb", b"fuzz" * 256)
    upload_asset(api, headers, dandiset, "README.txt", b"hello fuzz\n")
    requests.post(
        f"{api}/dandisets/?embargo=true",
        json={"name": "Fuzz embargoed", "metadata": {"name": "Fuzz embargoed", "description": "Embargoed data"}},
        headers=headers,
        timeout=30,
    ).raise_for_status()


def schemathesis(base_url: str, label: str, report_dir: Path, extra: list[str]) -> int:
    cmd = [
        ST,
        "run",
        f"{base_url}/api/openapi.json",
        "--url",
        base_url,
        "--checks",
        "all",
        "--exclude-checks",
        EXCLUDED_CHECKS,
        "--seed",
        SEED,
        "--max-examples",
        MAX_EXAMPLES,
        "--phases",
        "examples,fuzzing",
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(report_dir / label),
        *extra,
    ]
    shown = " ".join("Authorization: token ***" if c.startswith("Authorization") else c for c in cmd)
    log(f"schemathesis ({label}): {shown}")
    try:
        return subprocess.run(cmd, cwd=REPO, timeout=TIMEOUT).returncode
    except subprocess.TimeoutExpired:
        print(f"error: schemathesis ({label}) did not finish within {TIMEOUT:.0f} s", file=sys.stderr)
        return 1


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="dandi-fuzz-"))
    db_name = f"dandi_fuzz_{uuid.uuid4().hex[:8]}"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "NODE_ENV": "production",
        "DATABASE_URL": f"{PG_ADMIN.rpartition('/')[0]}/{db_name}",
        "PORT": str(port),
        "DANDI_API_URL": base_url,
        "DANDI_WEB_APP_URL": "http://127.0.0.1:8085",
        "SESSION_SECRET": uuid.uuid4().hex + uuid.uuid4().hex,
        "LOG_LEVEL": os.environ.get("FUZZ_LOG_LEVEL", "warn"),
        "STORAGE_BACKEND": "local",
        "LOCAL_STORAGE_DIR": str(tmp / "storage"),
        "JOBS_PREFIX": f"dandi-fuzz-{db_name}",
    }
    server: subprocess.Popen[bytes] | None = None
    api_log = tmp / "api.log"
    failed = False
    try:
        psql(f'CREATE DATABASE "{db_name}"')
        subprocess.run(["pnpm", "run", "--silent", "db:migrate"], cwd=REPO, env=env, check=True, capture_output=True)
        manage(env, "seed-demo")
        manage(env, "create-user", "--email", "fuzz@example.org", "--status", "APPROVED", "--first-name", "Fuzz", "--last-name", "User")
        m = re.search(r"^Generated token (\w+) for user", manage(env, "create-token", "--email", "fuzz@example.org"), re.M)
        if not m:
            raise RuntimeError("create-token printed no key")
        key = m.group(1)

        dist = REPO / "apps" / "api" / "dist" / "server.js"
        if os.environ.get("FUZZ_FROM_SOURCE") == "1":
            cmd = ["pnpm", "--filter", "@dandi/api", "exec", "tsx", "src/server.ts"]
        elif dist.exists():
            cmd = ["node", str(dist)]
        else:
            raise RuntimeError(f"{dist} is missing: run `pnpm build` first")
        server = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=api_log.open("wb"), stderr=subprocess.STDOUT)
        wait_http(f"{base_url}/api/info/", server)
        seed(f"{base_url}/api", key)

        reports = Path(os.environ.get("FUZZ_REPORT_DIR", tmp / "reports"))
        anonymous = schemathesis(base_url, "anonymous", reports, [])
        user = schemathesis(
            base_url,
            "approved-user",
            reports,
            # POST /api/auth/token/ would rotate the very key the run authenticates with.
            ["-H", f"Authorization: token {key}", "--exclude-name", "POST /api/auth/token/"],
        )
        failed = anonymous != 0 or user != 0
        print(f"schemathesis: anonymous exit {anonymous}, approved user exit {user}; reports in {reports}")
    except Exception as e:  # setup failures
        print(f"error: {e}", file=sys.stderr)
        failed = True
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if failed and api_log.exists():
            sys.stderr.write(f"\n--- API log (last 8000 characters) ---\n{api_log.read_text(errors='replace')[-8000:]}\n")
        psql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        if shutil.which("redis-cli"):
            keys = subprocess.run(
                ["redis-cli", "-u", REDIS_URL, "--scan", "--pattern", f"{env['JOBS_PREFIX']}:*"], capture_output=True, text=True
            ).stdout.split()
            for i in range(0, len(keys), 500):
                subprocess.run(["redis-cli", "-u", REDIS_URL, "del", *keys[i : i + 500]], capture_output=True)
        if "FUZZ_REPORT_DIR" not in os.environ and not failed:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
