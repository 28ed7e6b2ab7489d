"""One Linux server, HTTPS end to end (deploy/single-server), on both storage backends.

The processes are started from the build exactly as the systemd units start them (their
ExecStart, Environment= and EnvironmentFile=, in the units' order: migrations, then the
API and the workers) without systemd itself, and Caddy runs the deployment's Caddyfile
with its internal CA on loopback. Then the real `dandi` CLI, trusting that CA, uploads,
lists, downloads and deletes through https://; headless Chromium opens the web app's
pages and signs in; and every URL the API hands out is https on the public host.
"""

from __future__ import annotations

import base64
import filecmp
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy" / "single-server"
UNITS = DEPLOY / "systemd"
INSTALL_DIR = "/opt/dandi-archive"  # where the units and the env file expect the build
PG_ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# systemd's default PATH for services: the units must not depend on a login shell's PATH.
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
ADMIN_EMAIL, ADMIN_PASSWORD = "operator@example.org", "operator-password-1"
SCREENSHOTS = REPO / "artifacts" / "screenshots" / "single-server"
TIMINGS: dict[str, float] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True)


def read_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd unit file as {section: {key: [values...]}} (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        assert current is not None, f"{path}: {raw!r} outside a section"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def read_env_file(text: str) -> dict[str, str]:
    """systemd EnvironmentFile= syntax: KEY=VALUE lines, # comments, optional quotes."""
    env: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        env[key.strip()] = value
    return env


def procfile() -> dict[str, str]:
    return dict(line.split(": ", 1) for line in (REPO / "Procfile").read_text().splitlines() if ": " in line)


def unit_command(unit: dict[str, dict[str, list[str]]]) -> tuple[dict[str, str], list[str]]:
    """The Environment= assignments and the ExecStart argv of a unit."""
    env: dict[str, str] = {}
    for assignment in unit["Service"].get("Environment", []):
        for word in shlex.split(assignment):
            key, _, value = word.partition("=")
            env[key] = value
    (exec_start,) = unit["Service"]["ExecStart"]
    return env, shlex.split(exec_start)


def test_units_verify_and_match_the_procfile():
    """Every Procfile process has a unit running the same command with the same environment."""
    verify = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(str(p) for p in UNITS.iterdir())],
        capture_output=True, text=True, timeout=120,
    )
    # User=dandi does not exist on a test machine; anything else systemd reports is a defect.
    complaints = [l for l in (verify.stdout + verify.stderr).splitlines() if l.strip() and "dandi" not in l.split(":")[-1]]
    assert verify.returncode == 0 and not complaints, verify.stdout + verify.stderr
    processes = procfile()
    for name, command in processes.items():
        unit = read_unit(UNITS / f"dandi-archive-{'migrate' if name == 'release' else name}.service")
        env, argv = unit_command(unit)
        words = shlex.split(command)
        proc_env = dict(w.split("=", 1) for w in words if re.match(r"^[A-Z_]+=", w))
        proc_argv = [w for w in words if not re.match(r"^[A-Z_]+=", w)]
        assert env == proc_env, f"{name}: unit Environment= {env} != Procfile {proc_env}"
        assert [Path(argv[0]).name, *argv[1:]] == proc_argv, f"{name}: {argv} != {proc_argv}"
        assert unit["Service"]["EnvironmentFile"] == ["/etc/dandi-archive/archive.env"]
        if name != "release":
            assert unit["Service"]["Restart"] == ["always"] and unit["Service"]["TimeoutStopSec"] == ["30s"]
            assert "dandi-archive-migrate.service" in unit["Unit"]["After"][0].split()
            assert unit["Unit"]["Requires"] == ["dandi-archive-migrate.service"]


@pytest.fixture(scope="session")
def web_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web app built as the guide says: VITE_API_URL=/ (the API on the app's origin)."""
    out = tmp_path_factory.mktemp("web-dist")
    start = time.time()
    subprocess.run(
        ["pnpm", "--filter", "@dandi/web", "exec", "vite", "build", "--outDir", str(out), "--emptyOutDir"],
        cwd=REPO, env={**os.environ, "VITE_API_URL": "/"}, check=True, capture_output=True, timeout=600,
    )
    TIMINGS["web build"] = time.time() - start
    assert (out / "index.html").exists() and not (out / "_redirects").exists()
    return out


class Server:
    def __init__(self, backend: str, tmp: Path, web: Path):
        self.backend, self.tmp, self.web = backend, tmp, web
        self.procs: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.port, self.https_port, self.http_port = free_port(), free_port(), free_port()
        self.origin = f"https://localhost:{self.https_port}"
        self.db = f"dandi_single_{backend}_{uuid.uuid4().hex[:8]}"
        self.s3_endpoint: str | None = None

    def log(self, name: str):
        return open(self.tmp / f"{name}.log", "wb")

    def spawn(self, name: str, argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=self.log(name), stderr=subprocess.STDOUT)
        self.procs.append((name, proc))
        return proc

    def env_file(self) -> dict[str, str]:
        """archive.env.example, filled in as an operator would for this machine."""
        env = read_env_file((DEPLOY / "archive.env.example").read_text().replace(INSTALL_DIR, str(REPO)))
        env.update({
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "2",
            "DANDI_API_URL": self.origin,
            "DANDI_WEB_APP_URL": self.origin,
            "CORS_ALLOWED_ORIGINS": self.origin,
            "ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": PG_ADMIN.rpartition("/")[0] + f"/{self.db}",
            "SESSION_SECRET": uuid.uuid4().hex + uuid.uuid4().hex,
            "LOCAL_STORAGE_DIR": str(self.tmp / "storage"),
            "JOBS_PREFIX": f"dandi-single-{self.db}",
            "LOG_LEVEL": "warn",
            "STORAGE_BACKEND": self.backend,
        })
        if self.backend == "s3":
            env.update({"S3_BUCKET": "single-server-test", "S3_ENDPOINT_URL": self.s3_endpoint or "",
                        "S3_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"})
        return env

    def start(self) -> None:
        psql(f'CREATE DATABASE "{self.db}"')
        # The guide's step 2: the storage folder exists, writable by the service user.
        (self.tmp / "storage").mkdir()
        if self.backend == "s3":
            exe = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
            moto_port = free_port()
            self.spawn("moto", [exe, "-H", "127.0.0.1", "-p", str(moto_port)], dict(os.environ), REPO)
            self.s3_endpoint = f"http://127.0.0.1:{moto_port}"
            wait_for(lambda: requests.get(self.s3_endpoint, timeout=2))
            import boto3

            boto3.client("s3", endpoint_url=self.s3_endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                         region_name="us-east-1").create_bucket(Bucket="single-server-test")
        base = {"PATH": SYSTEMD_PATH, "HOME": str(self.tmp), "LANG": "C.UTF-8", **self.env_file()}
        self.service_env = base
        # The order of the units: migrations (oneshot, must succeed), then the rest.
        start = time.time()
        env, argv = unit_command(read_unit(UNITS / "dandi-archive-migrate.service"))
        migrate = subprocess.run(argv, cwd=REPO, env={**base, **env}, capture_output=True, timeout=600)
        assert migrate.returncode == 0, migrate.stdout + migrate.stderr
        TIMINGS[f"{self.backend}: migrate"] = time.time() - start
        start = time.time()
        for name in ("web", "worker", "checksum-worker"):
            env, argv = unit_command(read_unit(UNITS / f"dandi-archive-{name}.service"))
            self.spawn(name, argv, {**base, **env}, REPO)
        caddy_data = self.tmp / "caddy"
        caddy_env = {
            **read_env_file((DEPLOY / "caddy.env.example").read_text().replace(INSTALL_DIR, str(REPO))),
            "DANDI_SITE_ADDRESS": self.origin,
            "CADDY_TLS": "tls internal",
            "CADDY_GLOBAL_OPTIONS": f"admin off\nskip_install_trust\nstorage file_system {caddy_data}\nhttp_port {self.http_port}",
            "DANDI_WEB_ROOT": str(self.web),
            "DANDI_API_UPSTREAM": f"127.0.0.1:{self.port}",
        }
        self.spawn("caddy", ["caddy", "run", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
                   {"PATH": SYSTEMD_PATH, "HOME": str(self.tmp), **caddy_env}, REPO)
        self.ca = caddy_data / "pki" / "authorities" / "local" / "root.crt"
        wait_for(lambda: self.ca.exists() or (_ for _ in ()).throw(RuntimeError("no CA yet")))
        wait_for(lambda: requests.get(f"{self.origin}/api/health/ready", verify=str(self.ca), timeout=5).raise_for_status())
        TIMINGS[f"{self.backend}: processes and Caddy up (ready through https)"] = time.time() - start

    def manage(self, *args: str) -> str:
        env, _ = unit_command(read_unit(UNITS / "dandi-archive-web.service"))
        out = subprocess.run(["npm", "run", "--silent", "manage", "--", *args], cwd=REPO,
                             env={**self.service_env, **env}, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stdout + out.stderr
        return out.stdout

    def stop(self) -> None:
        for name, proc in reversed(self.procs):
            proc.send_signal(signal.SIGTERM)
        for name, proc in reversed(self.procs):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        psql(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')


def wait_for(probe, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            probe()
            return
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture(scope="module", params=["local", "s3"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, web_build: Path):
    srv = Server(request.param, tmp_path_factory.mktemp(f"single-{request.param}"), web_build)
    setup_failed = True
    try:
        srv.start()
        srv.manage("createsuperuser", "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD)
        out = srv.manage("create-token", "--email", ADMIN_EMAIL)
        srv.key = re.search(r"^Generated token (\w+) for user", out, re.M).group(1)
        setup_failed = False
        yield srv
    finally:
        srv.stop()
        if setup_failed or request.session.testsfailed:
            for log in sorted(srv.tmp.glob("*.log")):
                sys.stderr.write(f"\n--- {log.name} ({request.param}) ---\n{log.read_text(errors='replace')[-3000:]}\n")


def api(server: Server, method: str, path: str, **kw) -> requests.Response:
    headers = {"Authorization": f"token {server.key}", **kw.pop("headers", {})}
    return requests.request(method, f"{server.origin}/api{path}", headers=headers, verify=str(server.ca),
                            timeout=60, **kw)


def dandi(server: Server, home: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("dandi") or str(Path(sys.executable).parent / "dandi")
    # The CLI names an unknown instance after its host:port, and reads <NAME>_API_KEY.
    env = {**os.environ, "REQUESTS_CA_BUNDLE": str(server.ca), f"LOCALHOST:{server.https_port}_API_KEY": server.key,
           "HOME": str(home),
           "DANDI_NO_ET": "1", "DANDI_DEVEL": "1", "DANDI_CACHE": "ignore",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    proc = subprocess.run([exe, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"dandi {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def walk_urls(value, found: list[str]) -> list[str]:
    if isinstance(value, dict):
        for v in value.values():
            walk_urls(v, found)
    elif isinstance(value, list):
        for v in value:
            walk_urls(v, found)
    elif isinstance(value, str) and re.match(r"^https?://", value):
        found.append(value)
    return found


def test_cli_browser_and_urls_over_https(server: Server, tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    r = api(server, "POST", "/dandisets/", json={"name": "Over HTTPS", "metadata": {
        "name": "Over HTTPS", "description": "Uploaded through Caddy with the real dandi CLI."}})
    assert r.status_code == 200, r.text
    dandiset = r.json()["identifier"]
    api(server, "POST", "/dandisets/", json={"name": "Second", "metadata": {"name": "Second", "description": "x"}})
    draft = f"{server.origin}/api/dandisets/{dandiset}/versions/draft/"

    # The CLI, trusting Caddy's CA: download the metadata folder, upload, ls, download, delete.
    for out in ("up", "down"):
        (tmp_path / out).mkdir()
    start = time.time()
    dandi(server, home, "download", "--download", "dandiset.yaml", "-o", str(tmp_path / "up"), draft, cwd=tmp_path)
    local = tmp_path / "up" / dandiset
    (local / "data").mkdir()
    with open(local / "data" / "big.bin", "wb") as f:  # two upload parts: 64 MiB and the rest
        f.write(os.urandom(65 * 1024 * 1024 + 321))
    (local / "notes.txt").write_text("uploaded over https\n")
    (local / "extra.txt").write_text("to be deleted\n")
    dandi(server, home, "upload", "-i", server.origin, "--allow-any-path", "--validation", "skip", cwd=local)
    TIMINGS[f"{server.backend}: dandi upload (65 MiB + 2 small files)"] = time.time() - start
    ls = dandi(server, home, "ls", "-r", "-f", "json_pp", draft, cwd=tmp_path)
    for path in ("data/big.bin", "notes.txt", "extra.txt"):
        assert path in ls.stdout
    start = time.time()
    dandi(server, home, "download", "-o", str(tmp_path / "down"), draft, cwd=tmp_path)
    TIMINGS[f"{server.backend}: dandi download"] = time.time() - start
    for path in ("data/big.bin", "notes.txt", "extra.txt"):
        assert filecmp.cmp(local / path, tmp_path / "down" / dandiset / path, shallow=False), path
    dandi(server, home, "delete", "-i", server.origin, "--force", f"{draft}assets/?path=extra.txt", cwd=tmp_path)
    assets = api(server, "GET", f"/dandisets/{dandiset}/versions/draft/assets/").json()["results"]
    assert sorted(a["path"] for a in assets) == ["data/big.bin", "notes.txt"]

    # Every URL the API builds is https on the public host (S3's own presigned URLs point at
    # the S3 endpoint, http for moto here, https on AWS).
    answers = [
        api(server, "GET", "/info/").json(),
        api(server, "GET", "/dandisets/?page_size=1").json(),
        api(server, "GET", f"/dandisets/{dandiset}/versions/draft/assets/?page_size=1").json(),
        api(server, "GET", f"/dandisets/{dandiset}/versions/draft/info/").json(),
        api(server, "GET", f"/assets/{assets[0]['asset_id']}/").json(),
    ]
    etag = hashlib.md5(hashlib.md5(b"abc").digest()).hexdigest() + "-1"
    init = api(server, "POST", "/uploads/initialize/", json={
        "contentSize": 3, "digest": {"algorithm": "dandi:dandi-etag", "value": etag}, "dandiset": dandiset})
    assert init.status_code == 200, init.text
    answers.append(init.json())
    urls = walk_urls(answers, [])
    redirect = api(server, "GET", f"/assets/{assets[0]['asset_id']}/download/", allow_redirects=False)
    assert redirect.status_code == 302
    urls.append(redirect.headers["Location"])
    assert answers[1]["next"].startswith(f"{server.origin}/api/dandisets/")
    for url in urls:
        if server.s3_endpoint and url.startswith(server.s3_endpoint):
            continue
        assert not url.startswith("http://"), url
        if "localhost" in url or "127.0.0.1" in url:
            assert url.startswith(server.origin), url
    if server.backend == "local":
        assert redirect.headers["Location"].startswith(f"{server.origin}/storage/")
        assert all(p["upload_url"].startswith(f"{server.origin}/storage/") for p in init.json()["parts"])

    # HSTS on the API and on the app; the session cookie is Secure.
    for url in (f"{server.origin}/", f"{server.origin}/api/info/"):
        assert "max-age=" in requests.get(url, verify=str(server.ca), timeout=30).headers["Strict-Transport-Security"]
    login = requests.post(f"{server.origin}/api/auth/login/", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                          headers={"Origin": server.origin}, verify=str(server.ca), timeout=30)
    assert login.status_code in (200, 204), login.text
    cookie = login.headers["Set-Cookie"]
    assert "dandi_session=" in cookie and "Secure" in cookie and "HttpOnly" in cookie, cookie

    # Headless Chromium, trusting the server's certificate, as a visitor and then signed in.
    pem = ssl.get_server_certificate(("localhost", server.https_port))
    spki = x509.load_pem_x509_certificate(pem.encode()).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    spki_hash = base64.b64encode(hashlib.sha256(spki).digest()).decode()
    start = time.time()
    out = subprocess.run(
        ["node", str(REPO / "apps" / "web" / "e2e" / "https-journey.mjs"), server.origin, dandiset, ADMIN_EMAIL,
         ADMIN_PASSWORD, spki_hash, str(SCREENSHOTS / server.backend)],
        cwd=REPO / "apps" / "web", capture_output=True, text=True, timeout=300)
    TIMINGS[f"{server.backend}: browser journey"] = time.time() - start
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    for name, page in report["pages"].items():
        assert page["status"] == 200 and page["secureContext"] and page["found"], (name, page)
        for key in ("consoleErrors", "errorResponses", "failedRequests", "insecureRequests", "mixedContent"):
            assert page[key] == [], (name, key, page[key])
    assert report["signedIn"], report
    assert report["cookie"] == {"secure": True, "httpOnly": True, "sameSite": "Lax"}, report


def test_zz_print_timings():
    """Prints the figures of this run (pytest -s, or the CI log's captured output on failure)."""
    for name, seconds in TIMINGS.items():
        print(f"timing: {name}: {seconds:.1f} s")
    sys.stdout.flush()
