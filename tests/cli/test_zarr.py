"""Zarr assets with the real `dandi` CLI, on both storage backends.

A zarr directory made with the `zarr` package (nested chunk folders, a nested
group) is uploaded with `dandi upload`: the CLI creates the zarr, PUTs every
file to presigned URLs, finalizes, and polls until the worker (the
`ingest_zarr_archive` job on the `checksum` queue) reports Complete with a
checksum equal to its own. Then `dandi ls` lists it, `dandi download` brings it
back file for file, an upload after changing, adding and removing chunks leaves
the server with exactly the local files, and an upload of the unchanged zarr
changes nothing on the server.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
from pathlib import Path

import numpy as np
import requests
from zarr_checksum import compute_zarr_checksum
from zarr_checksum.generators import yield_files_local

from conftest import Archive
from test_dandi_cli import outdir, remote_assets
from test_publish_download import wait_until, worker  # noqa: F401  (the worker fixture)

ZARR = "sample.zarr"


def make_zarr(path: Path) -> None:
    import zarr

    root = zarr.open_group(str(path), mode="w", zarr_format=2)
    root.attrs["description"] = "CLI zarr test"
    # Nested chunk keys ("0/1") make folders two levels down.
    a = root.create_array(
        "data", shape=(20, 20), chunks=(5, 5), dtype="int32", chunk_key_encoding={"name": "v2", "separator": "/"}
    )
    a[:] = np.arange(400, dtype="int32").reshape(20, 20)
    labels = root.create_group("labels").create_group("seg")
    b = labels.create_array("mask", shape=(12,), chunks=(4,), dtype="uint8")
    b[:] = np.arange(12, dtype="uint8")
    # Not zarr's own files, but a zarr folder may hold them: non-ASCII and spaced names.
    (path / "labels" / "données ünï").mkdir()
    (path / "labels" / "données ünï" / "naïve 数据.txt").write_text("unicode names ride along\n")


def local_files(root: Path) -> dict[str, str]:
    """Relative path → md5 of every file under root."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            p = Path(dirpath, name)
            out[p.relative_to(root).as_posix()] = hashlib.md5(p.read_bytes()).hexdigest()
    return out


def remote_files(archive: Archive, zarr_id: str) -> dict[str, dict]:
    """Every file of the zarr as the CLI lists it (follows `next`)."""
    out: dict[str, dict] = {}
    url: str | None = f"{archive.api}/zarr/{zarr_id}/files/"
    while url:
        r = requests.get(url, headers=archive.headers(), timeout=30)
        r.raise_for_status()
        body = r.json()
        out.update({f["Key"]: f for f in body["results"]})
        url = body["next"]
    return out


def get_zarr(archive: Archive, zarr_id: str) -> dict:
    r = requests.get(f"{archive.api}/zarr/{zarr_id}/", headers=archive.headers(), timeout=30)
    r.raise_for_status()
    return r.json()


def draft_size(archive: Archive, dandiset: str) -> int:
    """The draft's size, checked against the root of its folder tree."""
    base = f"{archive.api}/dandisets/{dandiset}/versions/draft"
    info = requests.get(f"{base}/info/", headers=archive.headers(), timeout=30).json()
    paths = requests.get(f"{base}/assets/paths/", headers=archive.headers(), timeout=30).json()["results"]
    (row,) = [p for p in paths if p["path"] == ZARR]
    assert row["aggregate_size"] == info["size"], (row, info["size"])
    return info["size"]


def assert_same_tree(a: Path, b: Path) -> None:
    assert local_files(a).keys() == local_files(b).keys()
    for rel in local_files(a):
        assert filecmp.cmp(a / rel, b / rel, shallow=False), f"{rel} differs"


def upload(archive: Archive, local: Path):
    return archive.dandi("upload", "-i", archive.api_url, "--allow-any-path", "--validation", "ignore", cwd=local)


def test_zarr_upload_ls_download_reupload(archive: Archive, worker: None, tmp_path: Path) -> None:  # noqa: F811
    dandiset = archive.create_dandiset(f"Zarr e2e on {archive.backend}")
    draft_url = f"{archive.api}/dandisets/{dandiset}/versions/draft/"
    archive.dandi("download", "--download", "dandiset.yaml", "-o", outdir(tmp_path / "up"), draft_url, cwd=tmp_path)
    local = tmp_path / "up" / dandiset
    zarr_dir = local / ZARR
    make_zarr(zarr_dir)
    files = local_files(zarr_dir)
    assert "data/0/1" in files and "labels/seg/mask/2" in files and "labels/données ünï/naïve 数据.txt" in files

    # Upload: the CLI compares the server's checksum with its own before it succeeds.
    upload(archive, local)
    asset = remote_assets(archive, dandiset)[ZARR]
    assert asset["blob"] is None and asset["zarr"]
    zarr_id = asset["zarr"]
    z = get_zarr(archive, zarr_id)
    expected = compute_zarr_checksum(yield_files_local(zarr_dir))
    assert z["status"] == "Complete"
    assert z["checksum"] == str(expected)
    assert (z["file_count"], z["size"]) == (len(files), expected.size)
    assert asset["size"] == expected.size
    remote = remote_files(archive, zarr_id)
    assert {k: v["ETag"] for k, v in remote.items()} == files

    # The served metadata carries the zarr checksum, and the worker validates the asset.
    meta = requests.get(f"{archive.api}/assets/{asset['asset_id']}/", timeout=30).json()
    assert meta["digest"] == {"dandi:dandi-zarr-checksum": str(expected)}
    assert meta["encodingFormat"] == "application/x-zarr"
    validation = wait_until(
        "zarr asset validation",
        lambda: (v := requests.get(f"{draft_url}assets/{asset['asset_id']}/validation/", timeout=30).json())["status"]
        not in ("Pending", "Validating")
        and v,
        timeout=120,
    )
    assert validation == {"status": "Valid", "validation_errors": []}
    # The ingest carried the zarr's size into the draft's size and its folder tree.
    assert draft_size(archive, dandiset) == expected.size

    ls = archive.dandi("ls", "-r", "-f", "json_pp", draft_url, cwd=tmp_path)
    assert ZARR in ls.stdout and zarr_id in ls.stdout

    archive.dandi("download", "-o", outdir(tmp_path / "down"), draft_url, cwd=tmp_path)
    assert_same_tree(zarr_dir, tmp_path / "down" / dandiset / ZARR)

    # Change chunks, remove some, add a new one: the server ends with exactly the local files.
    import zarr

    root = zarr.open_group(str(zarr_dir), mode="r+")
    root["data"][0:5, 0:5] = -1
    (zarr_dir / "data" / "3" / "3").unlink()
    (zarr_dir / "labels" / "seg" / "mask" / "2").unlink()
    (zarr_dir / "labels" / "notes.txt").write_text("a file that is not a chunk\n")
    changed = local_files(zarr_dir)
    assert changed != files
    upload(archive, local)
    asset2 = remote_assets(archive, dandiset)[ZARR]
    assert asset2["zarr"] == zarr_id
    z2 = get_zarr(archive, zarr_id)
    expected2 = compute_zarr_checksum(yield_files_local(zarr_dir))
    assert z2["status"] == "Complete" and z2["checksum"] == str(expected2) != z["checksum"]
    assert (z2["file_count"], z2["size"]) == (len(changed), expected2.size)
    assert draft_size(archive, dandiset) == expected2.size
    assert {k: v["ETag"] for k, v in remote_files(archive, zarr_id).items()} == changed
    archive.dandi("download", "-o", outdir(tmp_path / "down2"), draft_url, cwd=tmp_path)
    assert_same_tree(zarr_dir, tmp_path / "down2" / dandiset / ZARR)

    # The same zarr again: nothing is uploaded, deleted or re-ingested.
    before = remote_files(archive, zarr_id)
    out = upload(archive, local)
    assert "identical" in out.stdout, out.stdout
    z3 = get_zarr(archive, zarr_id)
    assert z3 == z2
    assert remote_files(archive, zarr_id) == before
