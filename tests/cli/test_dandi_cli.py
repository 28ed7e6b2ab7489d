"""The real `dandi` CLI (from PyPI) against our server, on both storage backends.

Shows, with exit codes and compared bytes: upload of a pynwb-made NWB file and of
other files into a new dandiset, `dandi ls`, `dandi download` of the whole dandiset
and of one asset (digests checked by the CLI), `upload --existing refresh` after a
change, and `dandi delete` of an asset.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
import time
from datetime import datetime, timezone
from pathlib import Path

import requests

from conftest import Archive


def make_nwb(path: Path, subject_id: str = "mouse01", identifier: str = "cli-e2e-0001") -> None:
    from pynwb import NWBHDF5IO, NWBFile
    from pynwb.file import Subject

    nwb = NWBFile(
        session_description="CLI end-to-end test session",
        identifier=identifier,
        session_start_time=datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        experimenter=["Doe, Jane"],
        lab="Test Lab",
        institution="Test Institute",
        subject=Subject(subject_id=subject_id, species="Mus musculus", sex="F", age="P90D"),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)


def write_random(path: Path, size: int, seed: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    block = hashlib.sha512(str(seed).encode()).digest() * 16384  # 1 MiB of non-constant bytes
    with path.open("wb") as f:
        left = size
        while left > 0:
            chunk = block[: min(left, len(block))]
            f.write(chunk)
            left -= len(chunk)


def outdir(path: Path) -> str:
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def remote_assets(archive: Archive, dandiset: str) -> dict[str, dict]:
    r = requests.get(
        f"{archive.api}/dandisets/{dandiset}/versions/draft/assets/?page_size=1000",
        headers=archive.headers(),
        timeout=30,
    )
    r.raise_for_status()
    return {a["path"]: a for a in r.json()["results"]}


def test_upload_ls_download_refresh_delete(archive: Archive, tmp_path: Path) -> None:
    dandiset = archive.create_dandiset(f"CLI e2e on {archive.backend}")
    draft_url = f"{archive.api}/dandisets/{dandiset}/versions/draft/"

    # The documented way to start: fetch the dandiset's metadata folder.
    archive.dandi("download", "--download", "dandiset.yaml", "-o", outdir(tmp_path / "up"), draft_url, cwd=tmp_path)
    local = tmp_path / "up" / dandiset
    assert (local / "dandiset.yaml").exists()

    make_nwb(local / "sub-mouse01" / "sub-mouse01_ses-01.nwb")
    write_random(local / "data" / "big.bin", 65 * 1024 * 1024 + 123, seed=1)  # two parts: 64 MiB + rest
    (local / "notes.txt").write_text("free-text notes that ride along with the data\n")

    # Default validation (require): the pynwb-made file must pass the CLI's own checks.
    archive.dandi("upload", "-i", archive.api_url, "--allow-any-path", cwd=local)
    assets = remote_assets(archive, dandiset)
    assert set(assets) == {"sub-mouse01/sub-mouse01_ses-01.nwb", "data/big.bin", "notes.txt"}
    assert assets["data/big.bin"]["size"] == 65 * 1024 * 1024 + 123

    ls = archive.dandi("ls", "-r", "-f", "json_pp", draft_url, cwd=tmp_path)
    for path in assets:
        assert path in ls.stdout, f"{path} missing from dandi ls output:\n{ls.stdout}"

    # Whole dandiset: byte-identical (the CLI also checks each file's digest).
    archive.dandi("download", "-o", outdir(tmp_path / "down"), draft_url, cwd=tmp_path)
    down = tmp_path / "down" / dandiset
    for path in assets:
        assert filecmp.cmp(local / path, down / path, shallow=False), f"{path} differs after download"

    # One asset, by its download URL.
    nwb_id = assets["sub-mouse01/sub-mouse01_ses-01.nwb"]["asset_id"]
    archive.dandi("download", "-o", outdir(tmp_path / "one"), f"{archive.api}/assets/{nwb_id}/download/", cwd=tmp_path)
    one = tmp_path / "one" / "sub-mouse01_ses-01.nwb"
    assert filecmp.cmp(local / "sub-mouse01" / "sub-mouse01_ses-01.nwb", one, shallow=False)

    # Change a file, refresh: the asset is replaced and the new bytes come back.
    notes = local / "notes.txt"
    notes.write_text("notes, second edition\n")
    later = time.time() + 5
    os.utime(notes, (later, later))
    archive.dandi(
        "upload", "-i", archive.api_url, "--allow-any-path", "--validation", "ignore", "--existing", "refresh", cwd=local
    )
    after = remote_assets(archive, dandiset)
    assert after["notes.txt"]["asset_id"] != assets["notes.txt"]["asset_id"]
    assert after["data/big.bin"]["asset_id"] == assets["data/big.bin"]["asset_id"]
    archive.dandi("download", "-o", outdir(tmp_path / "again"), draft_url, cwd=tmp_path)
    assert (tmp_path / "again" / dandiset / "notes.txt").read_text() == "notes, second edition\n"

    # Delete one asset.
    archive.dandi("delete", "-i", archive.api_url, "--force", f"{draft_url}assets/?path=notes.txt", cwd=tmp_path)
    final = remote_assets(archive, dandiset)
    assert "notes.txt" not in final
    assert set(final) == {"sub-mouse01/sub-mouse01_ses-01.nwb", "data/big.bin"}
