"""A viewer of an embargoed dandiset with the real `dandi` CLI, on both storage backends.

The owner (the fixture's admin) uploads into an embargoed dandiset and makes an approved user a
viewer (POST /api/dandisets/{id}/viewers/): with that user's API key `dandi download` fetches the
dandiset (bytes compared) and `dandi upload` is refused; a stranger's key cannot download it;
once the grant is revoked the viewer is refused too.
"""

from __future__ import annotations

import re
from pathlib import Path

import requests

from conftest import Archive, manage


def outdir(path: Path) -> str:
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def user_with_key(archive: Archive, email: str) -> str:
    manage(archive.server_env, "create-user", "--email", email, "--status", "APPROVED")
    out = manage(archive.server_env, "create-token", "--email", email)
    m = re.search(r"^Generated token (\w+) for user ", out, re.M)
    assert m, out
    return m.group(1)


def as_user(archive: Archive, key: str) -> Archive:
    """The same archive, with the CLI's API key variable set to `key`."""
    env = {k: (key if k.endswith("_API_KEY") else v) for k, v in archive.env.items()}
    return Archive(backend=archive.backend, api_url=archive.api_url, api_key=key, env=env, server_env=archive.server_env)


def test_viewer_downloads_with_the_cli_and_cannot_upload(archive: Archive, tmp_path: Path) -> None:
    from dandi.dandiapi import DandiAPIClient

    with DandiAPIClient(api_url=archive.api, token=archive.api_key) as client:
        ds = client.create_dandiset("Shared embargoed CLI test", {"name": "Shared embargoed CLI test"}, embargo=True)
    d = ds.identifier
    archive.dandi("download", "--download", "dandiset.yaml", "-o", outdir(tmp_path / "up"), f"{archive.api}/dandisets/{d}/", cwd=tmp_path)
    local = tmp_path / "up" / d
    (local / "data").mkdir()
    (local / "data" / "result.txt").write_text("shared under embargo\n")
    archive.dandi("upload", "-i", archive.api_url, "--allow-any-path", "--validation", "skip", cwd=local)

    tag = archive.backend
    viewer = as_user(archive, user_with_key(archive, f"viewer-{tag}@cli.test"))
    stranger = as_user(archive, user_with_key(archive, f"stranger-{tag}@cli.test"))
    r = requests.post(
        f"{archive.api}/dandisets/{d}/viewers/", json={"username": f"viewer-{tag}"}, headers=archive.headers(), timeout=30
    )
    assert r.status_code == 201, r.text

    draft = f"{archive.api}/dandisets/{d}/versions/draft/"
    out = Path(outdir(tmp_path / "viewer-down"))
    viewer.dandi("download", "-o", str(out), draft, cwd=tmp_path)
    assert (out / d / "data" / "result.txt").read_text() == "shared under embargo\n"

    refused = stranger.dandi("download", "-o", outdir(tmp_path / "stranger-down"), draft, cwd=tmp_path, check=False)
    assert refused.returncode != 0
    assert not (tmp_path / "stranger-down" / d / "data" / "result.txt").exists()

    # The viewer's own copy, changed and uploaded: refused, and nothing changes remotely.
    (out / d / "data" / "extra.txt").write_text("a viewer's edit\n")
    upload = viewer.dandi("upload", "-i", archive.api_url, "--allow-any-path", "--validation", "skip", cwd=out / d, check=False)
    assert upload.returncode != 0 or "403" in upload.stdout + upload.stderr
    paths = requests.get(f"{draft}assets/", headers=archive.headers(), timeout=30).json()["results"]
    assert [a["path"] for a in paths] == ["data/result.txt"]

    gone = requests.delete(f"{archive.api}/dandisets/{d}/viewers/viewer-{tag}/", headers=archive.headers(), timeout=30)
    assert gone.status_code == 204
    after = viewer.dandi("download", "-o", outdir(tmp_path / "after-revoke"), draft, cwd=tmp_path, check=False)
    assert after.returncode != 0
    assert not (tmp_path / "after-revoke" / d / "data" / "result.txt").exists()
