"""Publishing end to end, then the real `dandi` CLI on the published version.

On both storage backends: `dandi upload` of an NWB file and a two-part binary, a
worker process (the built `apps/worker/dist/main.js`, serving the `default` and
`checksum` queues) hashes and validates them, the draft is published through
the API (`POST .../versions/draft/publish/`, polled as the CLI polls), and then
`dandi ls` and `dandi download` of the published version must list it and bring
back byte-identical files.
"""

from __future__ import annotations

import filecmp
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from conftest import REPO, Archive
from test_dandi_cli import make_nwb, outdir, write_random


def wait_until(what: str, check, timeout: float = 180, interval: float = 0.5):
    """Polls `check` until it returns something truthy; fails with the last value seen."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"{what} did not happen within {timeout} s; last seen: {last!r}")


@pytest.fixture(scope="module")
def worker(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A worker for this archive, started as the Procfile starts one, validating every 2 s."""
    tmp = tmp_path_factory.mktemp(f"worker-{archive.backend}")
    env = {
        **archive.server_env,
        "WORKER_QUEUES": "default,checksum",
        "DANDI_VALIDATION_JOB_INTERVAL": "2",
        "LOG_LEVEL": "info",
    }
    main = REPO / "apps" / "worker" / "dist" / "main.js"
    cmd = (
        ["node", "--enable-source-maps", str(main)]
        if main.exists()
        else ["pnpm", "--filter", "@dandi/worker", "exec", "tsx", "src/main.ts"]
    )
    log_path = tmp / "worker.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until("worker start", lambda: proc.poll() is None and "worker started" in log_path.read_text(), 60)
        yield
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        if proc.returncode not in (0, -signal.SIGTERM):
            print(f"--- worker log ({archive.backend}) ---\n{log_path.read_text()[-5000:]}")


def test_publish_then_download_published_version(archive: Archive, worker: None, tmp_path: Path) -> None:
    dandiset = archive.create_dandiset(f"Publish and download on {archive.backend}")
    draft_url = f"{archive.api}/dandisets/{dandiset}/versions/draft/"
    # A license is the one field a new dandiset lacks to be publishable.
    draft = requests.get(draft_url, headers=archive.headers(), timeout=30).json()
    requests.put(
        draft_url,
        json={"name": draft["name"], "metadata": {**draft, "license": ["spdx:CC0-1.0"]}},
        headers=archive.headers(),
        timeout=30,
    ).raise_for_status()

    archive.dandi("download", "--download", "dandiset.yaml", "-o", outdir(tmp_path / "up"), draft_url, cwd=tmp_path)
    local = tmp_path / "up" / dandiset
    make_nwb(local / "sub-mouse02" / "sub-mouse02_ses-01.nwb", subject_id="mouse02", identifier="cli-publish-0001")
    write_random(local / "data" / "two-parts.bin", 64 * 1024 * 1024 + 4321, seed=7)
    archive.dandi("upload", "-i", archive.api_url, "--allow-any-path", cwd=local)
    paths = ["sub-mouse02/sub-mouse02_ses-01.nwb", "data/two-parts.bin"]

    # The worker hashes the blobs, validates the assets and then the draft.
    def draft_valid():
        info = requests.get(f"{draft_url}info/", headers=archive.headers(), timeout=30).json()
        return info if info["status"] == "Valid" and not info["asset_validation_errors"] else None

    wait_until("draft validation", draft_valid)
    r = requests.post(f"{draft_url}publish/", headers=archive.headers(), timeout=30)
    assert r.status_code == 202, r.text

    # What the CLI and the web app do after publishing: poll the draft until it is Published.
    wait_until(
        "publish",
        lambda: requests.get(f"{draft_url}info/", headers=archive.headers(), timeout=30).json()["status"]
        == "Published",
    )
    versions = requests.get(
        f"{archive.api}/dandisets/{dandiset}/versions/?order=-created", headers=archive.headers(), timeout=30
    ).json()["results"]
    version = versions[0]["version"]
    assert version != "draft" and versions[0]["status"] == "Valid", versions
    published_url = f"{archive.api}/dandisets/{dandiset}/versions/{version}/"
    metadata = requests.get(published_url, timeout=30).json()
    assert metadata["version"] == version
    assert metadata["assetsSummary"]["numberOfFiles"] == 2

    ls = archive.dandi("ls", "-r", "-f", "json_pp", published_url, cwd=tmp_path)
    assert version in ls.stdout, ls.stdout
    for path in paths:
        assert path in ls.stdout, f"{path} missing from dandi ls of {version}:\n{ls.stdout}"

    archive.dandi("download", "-o", outdir(tmp_path / "down"), published_url, cwd=tmp_path)
    down = tmp_path / "down" / dandiset
    for path in paths:
        assert filecmp.cmp(local / path, down / path, shallow=False), f"{path} differs after download of {version}"
    assert f"version: {version}" in (down / "dandiset.yaml").read_text()
