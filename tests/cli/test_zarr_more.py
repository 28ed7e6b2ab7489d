"""More zarr scenarios with the real `dandi` CLI.

One dandiset holds a zarr and an NWB file (uploaded by the CLI). Against it:
`dandi download` of a group and of one chunk inside the zarr (the CLI's
`dandi://<instance>/<id>/<name>.zarr/<subpath>` form, which filters the zarr's
`/files/` listing), of the zarr by its asset-id URL, and of the whole dandiset;
`dandi ls` of the zarr's asset URL and of a path inside it (served by the
`prefix` filter of `/files/`). `dandi delete` only deletes whole assets, so
entries are deleted with the CLI's library (`RemoteZarrAsset.rmfiles`), which
then finalizes and waits for the re-ingest; `dandi delete` of the zarr asset
leaves the zarr, which the next upload reuses. A zarr two folders down carries
its size up the folder tree and follows `dandi move`. Last, a zarr is uploaded
into an embargoed dandiset: anonymous reads of it are refused, its owner
downloads it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import requests
from zarr_checksum import compute_zarr_checksum
from zarr_checksum.generators import yield_files_local

from conftest import Archive
from test_dandi_cli import make_nwb, outdir, remote_assets
from test_publish_download import worker  # noqa: F401  (the worker fixture)
from test_zarr import ZARR, assert_same_tree, get_zarr, local_files, make_zarr, remote_files, upload

NWB = "sub-mouse01/sub-mouse01_ses-01.nwb"
INSTANCE = "zarr-more-test"


def s3_client(archive: Archive):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=archive.server_env["S3_ENDPOINT_URL"],
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )


@dataclass
class Seeded:
    archive: Archive
    dandiset: str
    local: Path  # the uploaded dandiset folder

    @property
    def zarr_dir(self) -> Path:
        return self.local / ZARR

    def dandi_url(self, path: str) -> str:
        return f"dandi://{INSTANCE}/{self.dandiset}@draft/{path}"


def dandi_named(archive: Archive, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real CLI with our server registered as a named instance, so that it takes
    `dandi://<instance>/...` URLs (the only form it splits at a zarr boundary)."""
    code = (
        "import sys\n"
        "from dandi.consts import DandiInstance, known_instances\n"
        f"known_instances[{INSTANCE!r}] = DandiInstance({INSTANCE!r}, None, {archive.api!r})\n"
        "from dandi.cli.command import main\n"
        "sys.argv[0] = 'dandi'\n"
        "main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=archive.env, capture_output=True, text=True, timeout=600
    )
    if proc.returncode != 0:
        raise AssertionError(f"dandi {' '.join(args)} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def start_folder(archive: Archive, dandiset: str, tmp: Path) -> tuple[str, Path]:
    """The draft's API URL, and the local folder the CLI makes for the dandiset (as users start)."""
    draft_url = f"{archive.api}/dandisets/{dandiset}/versions/draft/"
    archive.dandi("download", "--download", "dandiset.yaml", "-o", outdir(tmp / "up"), draft_url, cwd=tmp)
    return draft_url, tmp / "up" / dandiset


@pytest.fixture(scope="module")
def seeded(archive: Archive, worker: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:  # noqa: F811
    tmp = tmp_path_factory.mktemp(f"zarr-more-{archive.backend}")
    dandiset = archive.create_dandiset(f"Zarr and NWB on {archive.backend}")
    draft_url, local = start_folder(archive, dandiset, tmp)
    make_zarr(local / ZARR)
    make_nwb(local / NWB)
    upload(archive, local)
    assert set(remote_assets(archive, dandiset)) == {ZARR, NWB}
    yield Seeded(archive, dandiset, local)


def test_download_inside_zarr(seeded: Seeded, tmp_path: Path) -> None:
    a = seeded.archive
    # A group: exactly the files under it come down, at their place in the zarr.
    dandi_named(a, "download", "-o", outdir(tmp_path / "group"), seeded.dandi_url(f"{ZARR}/labels"), cwd=tmp_path)
    got = local_files(tmp_path / "group" / ZARR)
    want = {k: v for k, v in local_files(seeded.zarr_dir).items() if k.startswith("labels/")}
    assert got == want and len(want) >= 4, (got, want)

    # One chunk.
    dandi_named(a, "download", "-o", outdir(tmp_path / "chunk"), seeded.dandi_url(f"{ZARR}/data/0/1"), cwd=tmp_path)
    assert local_files(tmp_path / "chunk" / ZARR) == {"data/0/1": local_files(seeded.zarr_dir)["data/0/1"]}

    # A resumed entry download: the CLI sends Range to the entry's download URL and follows the redirect.
    zarr_id = remote_assets(a, seeded.dandiset)[ZARR]["zarr"]
    name = "labels/données ünï/naïve 数据.txt"
    body = (seeded.zarr_dir / name).read_bytes()
    url = f"{a.api}/zarr/{zarr_id}/files/"
    r = requests.get(url, params={"prefix": name, "download": "true"}, headers={"Range": "bytes=7-"}, timeout=30)
    assert (r.status_code, r.content) == (206, body[7:]), (r.status_code, r.text)


def test_download_zarr_by_asset_id(seeded: Seeded, tmp_path: Path) -> None:
    a = seeded.archive
    asset = remote_assets(a, seeded.dandiset)[ZARR]
    a.dandi("download", "-o", outdir(tmp_path / "byid"), f"{a.api}/assets/{asset['asset_id']}/", cwd=tmp_path)
    assert_same_tree(seeded.zarr_dir, tmp_path / "byid" / ZARR)
    url = f"{a.api}/dandisets/{seeded.dandiset}/versions/draft/assets/{asset['asset_id']}/download/"
    a.dandi("download", "-o", outdir(tmp_path / "byid2"), url, cwd=tmp_path)
    assert_same_tree(seeded.zarr_dir, tmp_path / "byid2" / ZARR)
    # The metadata's object URL is the zarr's prefix; its files are readable under it.
    meta = requests.get(f"{a.api}/assets/{asset['asset_id']}/", timeout=30).json()
    prefix_url = next(u for u in meta["contentUrl"] if "/download/" not in u)
    zgroup = (seeded.zarr_dir / ".zgroup").read_bytes()
    if a.backend == "local":
        r = requests.get(f"{prefix_url}.zgroup", timeout=30)
        assert r.status_code == 200 and r.content == zgroup
    else:  # moto_server refuses unsigned reads: check the URL names the object
        env = a.server_env
        assert prefix_url == f"{env['S3_ENDPOINT_URL']}/{env['S3_BUCKET']}/zarr/{asset['zarr']}/"
        obj = s3_client(a).get_object(Bucket=env["S3_BUCKET"], Key=f"zarr/{asset['zarr']}/.zgroup")
        assert obj["Body"].read() == zgroup


def test_ls_zarr(seeded: Seeded, tmp_path: Path) -> None:
    a = seeded.archive
    asset = remote_assets(a, seeded.dandiset)[ZARR]
    out = a.dandi("ls", "-f", "json", f"{a.api}/assets/{asset['asset_id']}/", cwd=tmp_path).stdout
    (rec,) = json.loads(out)
    assert rec["path"] == ZARR and rec["asset_id"] == asset["asset_id"]
    assert rec["size"] == compute_zarr_checksum(yield_files_local(seeded.zarr_dir)).size

    # A path inside the zarr: the asset, then every entry under that path with its size.
    out = dandi_named(a, "ls", "-f", "json", seeded.dandi_url(f"{ZARR}/labels/seg"), cwd=tmp_path).stdout
    recs = json.loads(out)
    assert recs[0]["path"] == ZARR
    want = {
        f"{ZARR}/{k}": (seeded.zarr_dir / k).stat().st_size for k in local_files(seeded.zarr_dir) if k.startswith("labels/seg/")
    }
    assert {r["path"]: r["size"] for r in recs[1:]} == want and len(want) >= 4


def test_download_whole_dandiset_with_zarr_and_nwb(seeded: Seeded, tmp_path: Path) -> None:
    a = seeded.archive
    a.dandi("download", "-o", outdir(tmp_path / "all"), f"{a.api}/dandisets/{seeded.dandiset}/versions/draft/", cwd=tmp_path)
    down = tmp_path / "all" / seeded.dandiset
    assert_same_tree(seeded.zarr_dir, down / ZARR)
    assert (down / NWB).read_bytes() == (seeded.local / NWB).read_bytes()
    assert (down / "dandiset.yaml").exists()


def test_delete_zarr_entries(seeded: Seeded, tmp_path: Path) -> None:
    """Runs last among the seeded tests: it changes the zarr."""
    from dandi.dandiapi import DandiAPIClient

    a = seeded.archive
    copy = tmp_path / ZARR
    shutil.copytree(seeded.zarr_dir, copy)
    with DandiAPIClient(api_url=a.api, token=a.api_key) as client:
        zasset = client.get_dandiset(seeded.dandiset, "draft").get_asset_by_path(ZARR)
        gone = [zasset.get_entry_by_path("data/1/1"), *zasset.iterfiles(prefix="labels/seg/mask/")]
        assert len(gone) >= 4
        zasset.rmfiles(gone)  # finalizes and polls until Complete
    for e in gone:
        (copy / str(e)).unlink()
    shutil.rmtree(copy / "labels" / "seg" / "mask")  # no files left under it
    expected = compute_zarr_checksum(yield_files_local(copy))
    z = get_zarr(a, zasset.zarr)
    assert z["status"] == "Complete" and z["checksum"] == str(expected)
    assert (z["file_count"], z["size"]) == (len(local_files(copy)), expected.size)
    assert {k: v["ETag"] for k, v in remote_files(a, zasset.zarr).items()} == local_files(copy)
    assets = remote_assets(a, seeded.dandiset)
    assert assets[ZARR]["size"] == expected.size
    info = requests.get(f"{a.api}/dandisets/{seeded.dandiset}/versions/draft/info/", headers=a.headers(), timeout=30).json()
    assert info["size"] == expected.size + assets[NWB]["size"]
    # The CLI agrees: its download checks the zarr checksum it computes against the server's.
    a.dandi("download", "-o", outdir(tmp_path / "after"), f"{a.api}/assets/{assets[ZARR]['asset_id']}/", cwd=tmp_path)
    assert_same_tree(copy, tmp_path / "after" / ZARR)


def test_delete_zarr_asset_then_upload_again(seeded: Seeded, tmp_path: Path) -> None:
    """`dandi delete` of the zarr asset leaves the zarr (as DANDI does); the next upload of
    that path reuses it (POST /zarr/ answers "must make a unique set"), brings its files in
    line with the local folder, and the draft's sizes follow."""
    a = seeded.archive
    draft_url = f"{a.api}/dandisets/{seeded.dandiset}/versions/draft/"
    before = remote_assets(a, seeded.dandiset)
    zarr_id = before[ZARR]["zarr"]
    a.dandi("delete", "-i", a.api_url, "--force", f"{draft_url}assets/?path={ZARR}", cwd=tmp_path)
    after = remote_assets(a, seeded.dandiset)
    assert set(after) == {NWB}
    info = requests.get(f"{draft_url}info/", headers=a.headers(), timeout=30).json()
    assert info["size"] == after[NWB]["size"]
    paths = requests.get(f"{draft_url}assets/paths/", headers=a.headers(), timeout=30).json()["results"]
    assert ZARR not in {p["path"] for p in paths}
    assert get_zarr(a, zarr_id)["status"] == "Complete"

    upload(a, seeded.local)  # POST /zarr/ answers "must make a unique set": the CLI reuses the zarr
    again = remote_assets(a, seeded.dandiset)
    assert again[ZARR]["zarr"] == zarr_id and again[ZARR]["asset_id"] != before[ZARR]["asset_id"]
    expected = compute_zarr_checksum(yield_files_local(seeded.zarr_dir))
    z = get_zarr(a, zarr_id)
    assert z["status"] == "Complete" and z["checksum"] == str(expected)
    assert {k: v["ETag"] for k, v in remote_files(a, zarr_id).items()} == local_files(seeded.zarr_dir)
    assert again[ZARR]["size"] == expected.size
    info = requests.get(f"{draft_url}info/", headers=a.headers(), timeout=30).json()
    assert info["size"] == expected.size + again[NWB]["size"]
    paths = requests.get(f"{draft_url}assets/paths/", headers=a.headers(), timeout=30).json()["results"]
    assert {p["path"]: p["aggregate_size"] for p in paths if p["path"] == ZARR} == {ZARR: expected.size}


def test_zarr_in_a_folder(archive: Archive, worker: None, tmp_path: Path) -> None:  # noqa: F811
    """A zarr two folders down: the ingest carries its size up the folder tree, and the CLI
    downloads the folder, and one group inside that zarr."""
    if archive.backend != "local":
        pytest.skip("folder sizes are storage-independent; local only")
    d = archive.create_dandiset("Zarr in a folder")
    draft_url, local = start_folder(archive, d, tmp_path)
    name = "sub-01/ses-01/image.ome.zarr"
    make_zarr(local / name)
    (local / "sub-01" / "notes.txt").write_text("beside the zarr\n")
    upload(archive, local)
    assets = remote_assets(archive, d)
    assert set(assets) == {name, "sub-01/notes.txt"}
    size = compute_zarr_checksum(yield_files_local(local / name)).size
    assert assets[name]["size"] == size
    notes = assets["sub-01/notes.txt"]["size"]

    def folder(path: str) -> dict:
        params = {"path_prefix": path} if path else {}
        r = requests.get(f"{draft_url}assets/paths/", params=params, headers=archive.headers(), timeout=30)
        r.raise_for_status()
        return {p["path"]: (p["aggregate_size"], p["aggregate_files"]) for p in r.json()["results"]}

    assert folder("") == {"sub-01": (size + notes, 2)}
    assert folder("sub-01/") == {"sub-01/ses-01": (size, 1), "sub-01/notes.txt": (notes, 1)}
    assert folder("sub-01/ses-01/") == {name: (size, 1)}
    info = requests.get(f"{draft_url}info/", headers=archive.headers(), timeout=30).json()
    assert info["size"] == size + notes

    archive.dandi("download", "-o", outdir(tmp_path / "folder"), f"{draft_url}assets/?path=sub-01/", cwd=tmp_path)
    assert_same_tree(local / name, tmp_path / "folder" / "sub-01" / "ses-01" / "image.ome.zarr")
    assert (tmp_path / "folder" / "sub-01" / "notes.txt").read_text() == "beside the zarr\n"

    ds = Seeded(archive, d, local)
    dandi_named(archive, "download", "-o", outdir(tmp_path / "group"), ds.dandi_url(f"{name}/data/1"), cwd=tmp_path)
    want = {k: v for k, v in local_files(local / name).items() if k.startswith("data/1/")}
    assert local_files(tmp_path / "group" / "image.ome.zarr") == want and len(want) == 4

    # `dandi move` on the server: a PUT of the asset with the new path and the same zarr_id.
    moved = "sub-02/image.ome.zarr"
    archive.dandi("move", "-i", archive.api_url, "-d", draft_url, name, moved, cwd=tmp_path)
    after = remote_assets(archive, d)
    assert set(after) == {moved, "sub-01/notes.txt"}
    assert after[moved]["zarr"] == assets[name]["zarr"] and after[moved]["size"] == size
    assert folder("") == {"sub-01": (notes, 1), "sub-02": (size, 1)}
    assert folder("sub-02/") == {moved: (size, 1)}
    info = requests.get(f"{draft_url}info/", headers=archive.headers(), timeout=30).json()
    assert info["size"] == size + notes
    archive.dandi("download", "-o", outdir(tmp_path / "moved"), f"{draft_url}assets/?path=sub-02/", cwd=tmp_path)
    assert_same_tree(local / name, tmp_path / "moved" / "sub-02" / "image.ome.zarr")


def test_zarr_in_embargoed_dandiset(archive: Archive, worker: None, tmp_path: Path) -> None:  # noqa: F811
    from dandi.dandiapi import DandiAPIClient

    with DandiAPIClient(api_url=archive.api, token=archive.api_key) as client:
        d = client.create_dandiset("Embargoed zarr", {"name": "Embargoed zarr"}, embargo=True).identifier
    draft_url, local = start_folder(archive, d, tmp_path)
    make_zarr(local / ZARR)
    upload(archive, local)
    asset = remote_assets(archive, d)[ZARR]
    zarr_id = asset["zarr"]
    z = get_zarr(archive, zarr_id)
    assert z["status"] == "Complete" and z["checksum"] == str(compute_zarr_checksum(yield_files_local(local / ZARR)))

    # Anonymous: the zarr, its files and one file's bytes are refused.
    assert requests.get(f"{archive.api}/zarr/{zarr_id}/", timeout=30).status_code == 404
    assert requests.get(f"{archive.api}/zarr/{zarr_id}/files/", timeout=30).status_code == 404
    assert requests.get(f"{archive.api}/zarr/{zarr_id}/files/?download=true&prefix=.zgroup", timeout=30).status_code == 404
    assert requests.get(f"{archive.api}/zarr/?dandiset={d}", timeout=30).json()["results"] == []

    meta = requests.get(f"{archive.api}/assets/{asset['asset_id']}/", headers=archive.headers(), timeout=30).json()
    prefix_url = next(u for u in meta["contentUrl"] if "/download/" not in u)
    assert prefix_url.endswith(f"zarr/{zarr_id}/")
    if archive.backend == "local":  # the unsigned object URL of one file
        assert requests.get(f"{prefix_url}.zgroup", timeout=30).status_code == 403
    else:  # S3 refuses by bucket policy on the tag, which moto_server does not enforce
        env = archive.server_env
        s3 = s3_client(archive)
        for key in (".zgroup", "data/0/1"):
            tags = s3.get_object_tagging(Bucket=env["S3_BUCKET"], Key=f"zarr/{zarr_id}/{key}")["TagSet"]
            assert tags == [{"Key": "embargoed", "Value": "true"}], (key, tags)

    # The owner downloads it, file for file.
    archive.dandi("download", "-o", outdir(tmp_path / "down"), draft_url, cwd=tmp_path)
    assert_same_tree(local / ZARR, tmp_path / "down" / d / ZARR)


def test_blob_and_zarr_replace_each_other(archive: Archive, worker: None, tmp_path: Path) -> None:  # noqa: F811
    """A file at a path is replaced by a zarr (the CLI mints a zarr and PUTs the asset with
    zarr_id), then the zarr by a file again (PUT with blob_id); sizes follow each time."""
    if archive.backend != "local":
        pytest.skip("asset replacement is storage-independent; local only")
    d = archive.create_dandiset("Blob and zarr swap")
    draft_url, local = start_folder(archive, d, tmp_path)
    swap = local / "swap.zarr"

    def check(kind: str, size: int) -> dict:
        (asset,) = remote_assets(archive, d).values()
        assert asset["path"] == "swap.zarr" and bool(asset["zarr"]) == (kind == "zarr") and bool(asset["blob"]) == (kind == "blob")
        assert asset["size"] == size
        info = requests.get(f"{draft_url}info/", headers=archive.headers(), timeout=30).json()
        paths = requests.get(f"{draft_url}assets/paths/", headers=archive.headers(), timeout=30).json()["results"]
        assert info["size"] == size and [(p["path"], p["aggregate_size"]) for p in paths] == [("swap.zarr", size)]
        return asset

    def push() -> None:
        archive.dandi(
            "upload", "-i", archive.api_url, "--allow-any-path", "--validation", "ignore", "--existing", "force", cwd=local
        )

    swap.write_bytes(b"a plain file first\n" * 10)
    push()
    first = check("blob", 190)

    swap.unlink()
    make_zarr(swap)
    push()
    size = compute_zarr_checksum(yield_files_local(swap)).size
    second = check("zarr", size)
    assert second["asset_id"] != first["asset_id"]
    assert get_zarr(archive, second["zarr"])["status"] == "Complete"

    shutil.rmtree(swap)
    swap.write_bytes(b"a file again\n")
    push()
    third = check("blob", 13)
    assert third["asset_id"] != second["asset_id"]
    archive.dandi("download", "-o", outdir(tmp_path / "down"), draft_url, cwd=tmp_path)
    assert (tmp_path / "down" / d / "swap.zarr").read_bytes() == b"a file again\n"


def test_zarr_with_more_files_than_a_page(archive: Archive, worker: None, tmp_path: Path) -> None:  # noqa: F811
    """1 200 chunks: the CLI's POSTs of presigned URLs come in batches of 255, its listings
    of /files/ follow `next` past 1 000 keys, the ingest pages through storage, and an entry
    deletion of 311 goes out in batches of 100."""
    import zarr
    from dandi.dandiapi import DandiAPIClient

    d = archive.create_dandiset(f"Many-file zarr on {archive.backend}")
    draft_url, local = start_folder(archive, d, tmp_path)
    root = zarr.open_group(str(local / ZARR), mode="w", zarr_format=2)
    a = root.create_array("many", shape=(1200,), chunks=(1,), dtype="uint8")
    a[:] = (np.arange(1200) % 250 + 1).astype("uint8")  # no chunk equals the fill value
    files = local_files(local / ZARR)
    assert len(files) > 1200
    upload(archive, local)
    (asset,) = remote_assets(archive, d).values()
    expected = compute_zarr_checksum(yield_files_local(local / ZARR))
    z = get_zarr(archive, asset["zarr"])
    assert (z["status"], z["checksum"], z["file_count"]) == ("Complete", str(expected), len(files))
    assert {k: v["ETag"] for k, v in remote_files(archive, asset["zarr"]).items()} == files

    ds = Seeded(archive, d, local)
    dandi_named(archive, "download", "-o", outdir(tmp_path / "part"), ds.dandi_url(f"{ZARR}/many"), cwd=tmp_path)
    assert local_files(tmp_path / "part" / ZARR) == {k: v for k, v in files.items() if k.startswith("many/")}

    with DandiAPIClient(api_url=archive.api, token=archive.api_key) as client:
        zasset = client.get_dandiset(d, "draft").get_asset_by_path(ZARR)
        gone = [e for e in zasset.iterfiles(prefix="many/1") if str(e).count("/") == 1]
        assert len(gone) == 311  # many/1, many/10..19, many/100..199, many/1000..1199
        zasset.rmfiles(gone)
    for e in gone:
        (local / ZARR / str(e)).unlink()
    expected = compute_zarr_checksum(yield_files_local(local / ZARR))
    z = get_zarr(archive, asset["zarr"])
    assert (z["status"], z["checksum"], z["file_count"], z["size"]) == (
        "Complete",
        str(expected),
        len(files) - 311,
        expected.size,
    )
