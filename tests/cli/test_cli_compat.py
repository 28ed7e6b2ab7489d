"""Compatibility of the real `dandi` CLI (and its Python API) with our server.

One dandiset per storage backend is uploaded once (`seeded`) and then read with
every URL form the CLI's URL parser (`dandi/dandiarchive.py`) knows for a server,
listed with `dandi ls`, checked with `dandi digest`, and driven through the
`DandiAPIClient` calls scripts use. The tests that change it (the `--existing` modes
of upload, rejected uploads, `dandi move`, `dandi delete`) run last, in file order.
An embargoed dandiset and one with unusual path characters get their own.
Zarr assets are not covered: this archive has no /api/zarr/ routes.
"""

from __future__ import annotations

import filecmp
import json
import os
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import yaml

from conftest import Archive
from test_dandi_cli import make_nwb, outdir, remote_assets, write_random

NWB1 = "sub-mouse01/sub-mouse01_ses-01.nwb"
NWB2 = "sub-mouse02/sub-mouse02_ses-01.nwb"
README = "docs/readme.txt"
TABLE = "docs/deep/nested/table.csv"
BIG = "data/big.bin"
ALL = {NWB1, NWB2, README, TABLE, BIG}


@dataclass
class Seeded:
    archive: Archive
    dandiset: str
    local: Path  # the uploaded dandiset folder (holds dandiset.yaml)
    tmp: Path

    @property
    def draft(self) -> str:
        return f"{self.archive.api}/dandisets/{self.dandiset}/versions/draft/"

    def assets(self) -> dict[str, dict]:
        return remote_assets(self.archive, self.dandiset)

    def out(self, name: str) -> Path:
        return Path(outdir(self.tmp / name))

    def download(self, *args: str, to: str) -> Path:
        out = self.out(to)
        self.archive.dandi("download", "-o", str(out), *args, cwd=self.tmp)
        return out

    def same(self, path: str, got: Path) -> None:
        assert got.exists(), f"{got} was not downloaded"
        assert filecmp.cmp(self.local / path, got, shallow=False), f"{got} differs from {path}"

    def only_local(self) -> None:
        """For scenarios that differ only in the CLI's URL handling and API calls, not in
        how bytes are stored: run them once (local backend) to keep the suite short."""
        if self.archive.backend != "local":
            pytest.skip("same API calls as on the local backend; storage is covered by the other tests")

    def upload(self, *args: str, check: bool = True):
        return self.archive.dandi("upload", "-i", self.archive.api_url, "--allow-any-path", *args, cwd=self.local, check=check)


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def seeded(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    tmp = tmp_path_factory.mktemp(f"compat-{archive.backend}")
    dandiset = archive.create_dandiset(f"CLI compatibility on {archive.backend}")
    # API URL without a version: the CLI picks the draft (nothing is published).
    archive.dandi(
        "download", "--download", "dandiset.yaml", "-o", outdir(tmp / "up"), f"{archive.api}/dandisets/{dandiset}/", cwd=tmp
    )
    local = tmp / "up" / dandiset
    make_nwb(local / NWB1)
    make_nwb(local / NWB2, subject_id="mouse02", identifier="cli-compat-0002")
    (local / "docs").mkdir()
    (local / README).write_text("read me first\n")
    (local / TABLE).parent.mkdir(parents=True)
    (local / TABLE).write_text("a,b\n1,2\n")
    write_random(local / BIG, 6 * 1024 * 1024 + 7, seed=7)
    s = Seeded(archive=archive, dandiset=dandiset, local=local, tmp=tmp)
    s.upload()
    assert set(s.assets()) == ALL
    return s


# --- reading: every URL form of `dandi download` ------------------------------------------


def test_download_whole_dandiset_url_forms(seeded: Seeded) -> None:
    """/dandisets/{id}/, .../versions/draft/ and the web form /dandiset/{id}/draft on the
    API host (the CLI learns the API URL from that host's /server-info)."""
    a, d = seeded.archive, seeded.dandiset
    urls = [f"{a.api}/dandisets/{d}/versions/draft/", f"{a.api}/dandisets/{d}/", f"{a.api_url}/dandiset/{d}/draft"]
    for i, url in enumerate(urls if a.backend == "local" else urls[:1]):
        out = seeded.download(url, to=f"whole-{i}") / d
        assert files_under(out) == ALL | {"dandiset.yaml"}, url
        for path in ALL:
            seeded.same(path, out / path)
        meta = yaml.safe_load((out / "dandiset.yaml").read_text())
        assert meta["identifier"] == f"DANDI:{d}"


def test_download_only_metadata_or_only_assets(seeded: Seeded) -> None:
    seeded.only_local()
    d = seeded.dandiset
    only_yaml = seeded.download("--download", "dandiset.yaml", seeded.draft, to="only-yaml") / d
    assert files_under(only_yaml) == {"dandiset.yaml"}
    only_assets = seeded.download("--download", "assets", seeded.draft, to="only-assets") / d
    assert files_under(only_assets) == ALL
    both = seeded.download("--download", "dandiset.yaml,assets", seeded.draft, to="both") / d
    assert files_under(both) == ALL | {"dandiset.yaml"}


def test_download_folder_and_path_urls(seeded: Seeded) -> None:
    """Folder (web ?location= and /assets/?path=), single path, glob, and --preserve-tree."""
    seeded.only_local()
    a, d = seeded.archive, seeded.dandiset
    # Web URL with ?location=<folder>: the folder lands under its own name.
    out = seeded.download(f"{a.api_url}/dandiset/{d}/draft/files?location=docs", to="loc")
    assert files_under(out) == {"docs/readme.txt", "docs/deep/nested/table.csv"}
    seeded.same(README, out / "docs" / "readme.txt")
    # Asset path prefix (/assets/?path=): a folder, then one file.
    out = seeded.download(f"{seeded.draft}assets/?path=docs/deep/", to="prefix")
    assert files_under(out) == {"deep/nested/table.csv"}
    out = seeded.download(f"{seeded.draft}assets/?path={NWB2}", to="prefix-file")
    assert files_under(out) == {"sub-mouse02_ses-01.nwb"}
    seeded.same(NWB2, out / "sub-mouse02_ses-01.nwb")
    # Glob URL (/assets/?glob=) and --path-type glob on a web location.
    out = seeded.download(f"{seeded.draft}assets/?glob=*.nwb", to="glob")
    assert {Path(p).name for p in files_under(out)} == {"sub-mouse01_ses-01.nwb", "sub-mouse02_ses-01.nwb"}
    out = seeded.download("--path-type", "glob", f"{a.api_url}/dandiset/{d}/draft/files?location=docs/*.txt", to="glob2")
    assert {Path(p).name for p in files_under(out)} == {"readme.txt"}
    # --preserve-tree keeps the asset's folders and adds dandiset.yaml.
    out = seeded.download("--preserve-tree", f"{seeded.draft}assets/?path={TABLE}", to="tree") / d
    assert files_under(out) == {TABLE, "dandiset.yaml"}
    seeded.same(TABLE, out / TABLE)


def test_download_asset_id_urls(seeded: Seeded) -> None:
    """/assets/{id}/, /assets/{id}/download/ and the nested .../assets/{id}/[download/]."""
    aid = seeded.assets()[NWB1]["asset_id"]
    a = seeded.archive
    urls = [
        f"{a.api}/assets/{aid}/download/",
        f"{a.api}/assets/{aid}/",
        f"{seeded.draft}assets/{aid}/",
        f"{seeded.draft}assets/{aid}/download/",
    ]
    for i, url in enumerate(urls if a.backend == "local" else urls[:1]):
        out = seeded.download(url, to=f"aid-{i}")
        assert files_under(out) == {"sub-mouse01_ses-01.nwb"}, url
        seeded.same(NWB1, out / "sub-mouse01_ses-01.nwb")
    if a.backend == "local":  # --preserve-tree on an asset URL without a dandiset id: the full path, no yaml
        out = seeded.download("--preserve-tree", f"{a.api}/assets/{aid}/", to="aid-tree")
        assert files_under(out) == {NWB1}


def test_download_existing_modes(seeded: Seeded) -> None:
    """-e error|skip|overwrite|overwrite-different|refresh on a folder already downloaded."""
    seeded.only_local()
    url = f"{seeded.draft}assets/?path=docs/"
    out = seeded.download(url, to="existing")
    readme = out / "docs" / "readme.txt"
    readme.write_text("locally changed\n")
    # error: the file is reported and left alone, the command still fails
    proc = seeded.archive.dandi("download", "-o", str(out), url, cwd=seeded.tmp, check=False)
    assert readme.read_text() == "locally changed\n"
    assert proc.returncode != 0 or "error" in (proc.stdout + proc.stderr).lower()
    seeded.archive.dandi("download", "-o", str(out), "-e", "skip", url, cwd=seeded.tmp)
    assert readme.read_text() == "locally changed\n"
    seeded.archive.dandi("download", "-o", str(out), "-e", "overwrite-different", url, cwd=seeded.tmp)
    seeded.same(README, readme)
    readme.write_text("changed again\n")
    seeded.archive.dandi("download", "-o", str(out), "-e", "refresh", url, cwd=seeded.tmp)
    seeded.same(README, readme)
    readme.write_text("and again\n")
    seeded.archive.dandi("download", "-o", str(out), "-e", "overwrite", url, cwd=seeded.tmp)
    seeded.same(README, readme)


def test_download_redirects_head_and_range(seeded: Seeded) -> None:
    """What a resumed download needs: HEAD and GET of the download URL redirect to bytes
    that honour Range and name the file in Content-Disposition."""
    asset = seeded.assets()[BIG]
    body = (seeded.local / BIG).read_bytes()
    for url in (
        f"{seeded.archive.api}/assets/{asset['asset_id']}/download/",
        f"{seeded.draft}assets/{asset['asset_id']}/download/",
    ):
        head = requests.head(url, allow_redirects=False, timeout=30)
        assert head.status_code == 302 and head.headers["Location"]
        full = requests.get(url, timeout=60)
        assert full.status_code == 200 and full.content == body
        # S3 sets it from the signed response-content-disposition (moto_server ignores that)
        disposition = full.headers.get("Content-Disposition") or parse_qs(urlsplit(head.headers["Location"]).query).get(
            "response-content-disposition", [""]
        )[0]
        assert disposition == 'attachment; filename="big.bin"'
        part = requests.get(url, headers={"Range": "bytes=1000-"}, timeout=60)
        assert part.status_code == 206
        assert part.content == body[1000:]
        assert part.headers["Content-Range"] == f"bytes 1000-{len(body) - 1}/{len(body)}"
        tail = requests.get(url, headers={"Range": "bytes=-10"}, timeout=60)
        assert tail.status_code == 206 and tail.content == body[-10:]

    # The CLI resumes from its .dandidownload folder (the bytes so far plus the expected
    # digest) with Range: bytes=N-; a server that sent the whole file again would leave a
    # file whose dandi-etag the CLI rejects.
    out = seeded.out("resume")
    partial = out / "big.bin.dandidownload"
    partial.mkdir()
    (partial / "file").write_bytes(body[: 3 * 1024 * 1024 + 5])
    etag = requests.get(f"{seeded.archive.api}/assets/{asset['asset_id']}/", timeout=30).json()["digest"]["dandi:dandi-etag"]
    (partial / "checksum").write_text(json.dumps({"dandi-etag": etag}))
    seeded.archive.dandi("download", "-o", str(out), f"{seeded.draft}assets/?path={BIG}", cwd=seeded.tmp)
    seeded.same(BIG, out / "big.bin")
    assert not partial.exists()


# --- dandi ls, digest, and the Python API ----------------------------------------------


def test_ls_remote(seeded: Seeded) -> None:
    seeded.only_local()
    a, d = seeded.archive, seeded.dandiset
    out = a.dandi("ls", "-r", "-f", "json", seeded.draft, cwd=seeded.tmp).stdout
    records = json.loads(out)
    paths = {r["path"] for r in records if "path" in r}
    assert ALL <= paths, out
    sizes = {r["path"]: r.get("size") for r in records if "path" in r}
    assert sizes[BIG] == 6 * 1024 * 1024 + 7
    (dandiset_row,) = [r for r in records if r.get("path") == d]
    assert dandiset_row["metadata"]["identifier"] == f"DANDI:{d}" and dandiset_row["asset_count"] == len(ALL)
    out = a.dandi("ls", "-f", "yaml", f"{seeded.draft}assets/?path={README}", cwd=seeded.tmp).stdout
    rows = yaml.safe_load(out)
    assert [r["path"] for r in rows] == [README]
    # --metadata assets adds each asset's full metadata (digest and size from the server)
    asset_url = f"{a.api}/assets/{seeded.assets()[README]['asset_id']}/"
    (row,) = json.loads(a.dandi("ls", "--metadata", "assets", "-f", "json_pp", asset_url, cwd=seeded.tmp).stdout)
    assert row["path"] == README and row["metadata"]["contentSize"] == len("read me first\n")
    assert row["metadata"]["digest"]["dandi:dandi-etag"]


def test_digest_matches_server_etag(seeded: Seeded) -> None:
    seeded.only_local()
    out = seeded.archive.dandi("digest", "-d", "dandi-etag", str(seeded.local / BIG), cwd=seeded.tmp).stdout
    local_etag = out.strip().rsplit(" ", 1)[-1]
    meta = requests.get(f"{seeded.archive.api}/assets/{seeded.assets()[BIG]['asset_id']}/", timeout=30).json()
    assert meta["digest"]["dandi:dandi-etag"] == local_etag
    blob = requests.post(
        f"{seeded.archive.api}/blobs/digest/", json={"algorithm": "dandi:dandi-etag", "value": local_etag}, timeout=30
    )
    assert blob.status_code == 200 and blob.json()["etag"] == local_etag


def test_python_api(seeded: Seeded) -> None:
    from dandi.dandiapi import DandiAPIClient, RemoteBlobAsset

    with DandiAPIClient(api_url=seeded.archive.api, token=seeded.archive.api_key) as client:
        ds = client.get_dandiset(seeded.dandiset, "draft")
        assets = list(ds.get_assets())
        assert {x.path for x in assets} == ALL
        assert [x.path for x in ds.get_assets(order="path")] == sorted(ALL)
        assert [x.path for x in ds.get_assets(order="-path")] == sorted(ALL, reverse=True)
        one = ds.get_asset_by_path(README)
        assert isinstance(one, RemoteBlobAsset) and one.size == len("read me first\n")
        assert {x.path for x in ds.get_assets_with_path_prefix("docs/")} == {README, TABLE}
        assert {x.path for x in ds.get_assets_by_glob("*.csv")} == {TABLE}
        assert ds.get_asset(one.identifier).path == README
        assert client.get_asset(one.identifier).path == README
        assert one.get_raw_metadata()["path"] == README
        # The served metadata parses as dandischema models (what get_metadata() returns).
        assert one.get_metadata().path == README
        nwb = ds.get_asset_by_path(NWB1).get_metadata()
        assert nwb.contentSize == (seeded.local / NWB1).stat().st_size
        # A dandiset model needs a license, which a dandiset made with only a name lacks
        # (as on DANDI): set it through set_raw_metadata (PUT of the draft), then parse.
        md = ds.get_raw_metadata()
        md["license"] = ["spdx:CC-BY-4.0"]
        ds.set_raw_metadata(md)
        parsed = ds.get_metadata()
        assert parsed.identifier == f"DANDI:{seeded.dandiset}" and [str(x.value) for x in parsed.license] == ["spdx:CC-BY-4.0"]
        assert one.get_raw_digest() == one.get_raw_metadata()["digest"]["dandi:dandi-etag"]
        target = seeded.tmp / "py-download" / "readme.txt"
        target.parent.mkdir()
        one.download(target)
        seeded.same(README, target)
        with pytest.raises(Exception):
            ds.get_asset_by_path("docs/nope.txt")
        # Dandiset-level calls.
        full = client.get_dandiset(seeded.dandiset, lazy=False)
        assert full.version_id == "draft"
        assert full.draft_version.asset_count == len(ALL)
        assert [v.identifier for v in full.get_versions()] == ["draft"]
        assert full.get_raw_metadata()["identifier"] == f"DANDI:{seeded.dandiset}"
        assert seeded.dandiset in {x.identifier for x in client.get_dandisets()}
        # Raw upload of a new file, then change its metadata (rename) in place.
        extra = seeded.tmp / "py-extra.txt"
        extra.write_text("uploaded through the python API\n")
        new = ds.upload_raw_asset(extra, {"path": "py/extra.txt"})
        assert new.path == "py/extra.txt"
        md = new.get_raw_metadata()
        md["path"] = "py/renamed.txt"
        new.set_raw_metadata(md)
        assert new.path == "py/renamed.txt"
        assert ds.get_asset_by_path("py/renamed.txt").identifier == new.identifier
        new.delete()
        assert set(seeded.assets()) == ALL


def test_instance_from_known_name(seeded: Seeded) -> None:
    """`dandi://<instance>/<id>[@version][/path]` needs an instance the CLI knows by name:
    `dandi-api-local-docker-tests` (api http://$DANDI_INSTANCEHOST:8000/api). A stand-in on
    port 8000 of another loopback address serves /api/info/ (and the web app's
    /server-info on 8085) as ours, whose services.api.url names our real server."""
    seeded.only_local()
    info = requests.get(f"{seeded.archive.api}/info/", timeout=30).content
    host = "127.0.0.7"
    try:
        servers = [_serve_info(host, 8000, info), _serve_info(host, 8085, info)]
    except OSError as e:
        pytest.skip(f"cannot listen on {host}:8000/8085 ({e})")
    try:
        env = {**seeded.archive.env, "DANDI_INSTANCEHOST": host}
        a, d = seeded.archive, seeded.dandiset
        cli = Archive(backend=a.backend, api_url=a.api_url, api_key=a.api_key, env=env)
        out = Path(outdir(seeded.tmp / "dandi-url"))
        cli.dandi("download", "-o", str(out), f"dandi://dandi-api-local-docker-tests/{d}@draft/{README}", cwd=seeded.tmp)
        seeded.same(README, out / "readme.txt")
        out = Path(outdir(seeded.tmp / "dandi-url-folder"))
        cli.dandi("download", "-o", str(out), f"dandi://dandi-api-local-docker-tests/{d}/docs/", cwd=seeded.tmp)
        assert files_under(out) == {"docs/readme.txt", "docs/deep/nested/table.csv"}
        # The GUI URL of the instance resolves through its /server-info.
        out = Path(outdir(seeded.tmp / "gui-url"))
        cli.dandi("download", "-o", str(out), f"http://{host}:8085/dandiset/{d}/draft/files?location=docs/deep", cwd=seeded.tmp)
        seeded.same(TABLE, out / "deep" / "nested" / "table.csv")
        ls = cli.dandi("ls", "-f", "json", f"DANDI-API-LOCAL-DOCKER-TESTS:{d}/draft", cwd=seeded.tmp).stdout
        assert json.loads(ls)[0]["path"] == d
    finally:
        for s in servers:
            s.shutdown()
            s.server_close()


def _serve_info(host: str, port: int, info: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            ok = self.path.rstrip("/").split("?")[0] in ("/api/info", "/server-info")
            self.send_response(200 if ok else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(info if ok else b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_python_api_parallel_pages_and_content_urls(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a small page size the client fetches pages 2..N in parallel, which it only does
    when `next` is the request URL plus page=2 (DANDI_PAGINATION_DISABLE_FALLBACK makes any
    other `next` an error). Then the contentUrl helpers scripts use."""
    seeded.only_local()
    from dandi.dandiapi import DandiAPIClient

    monkeypatch.setenv("DANDI_PAGINATION_DISABLE_FALLBACK", "1")
    with DandiAPIClient(api_url=seeded.archive.api, token=seeded.archive.api_key) as client:
        client.page_size = 2
        ds = client.get_dandiset(seeded.dandiset, "draft")
        assert [x.path for x in ds.get_assets(order="path")] == sorted(ALL)
        assert [x.path for x in ds.get_assets_with_path_prefix("docs", order="-path")] == [README, TABLE]
        assert seeded.dandiset in {x.identifier for x in client.get_dandisets()}
        big = ds.get_asset_by_path(BIG)
        api_url = big.get_content_url(regex="/download/$")
        assert api_url == f"{seeded.archive.api}/assets/{big.identifier}/download/"
        followed = big.get_content_url(regex="/download/$", follow_redirects=1, strip_query=True)
        assert "?" not in followed and followed != api_url
        direct = big.get_content_url(regex=r"^(?!.*/download/$)")
        assert requests.get(direct, headers={"Range": "bytes=0-9"}, timeout=30).content == (seeded.local / BIG).read_bytes()[:10]


def test_reextract_metadata_reads_the_object_url(seeded: Seeded) -> None:
    """`dandi service-scripts reextract-metadata` opens the NWB file remotely through the
    asset's non-API contentUrl (HEAD + Range reads via fsspec) and PUTs the new metadata."""
    before = seeded.assets()[NWB1]
    seeded.archive.dandi(
        "service-scripts", "reextract-metadata", "--when", "always", f"{seeded.draft}assets/?path={NWB1}", cwd=seeded.tmp
    )
    after = seeded.assets()[NWB1]
    assert after["blob"] == before["blob"]
    meta = requests.get(f"{seeded.archive.api}/assets/{after['asset_id']}/", timeout=30).json()
    assert meta["wasAttributedTo"][0]["identifier"] == "mouse01"


def test_embargoed_dandiset(archive: Archive, tmp_path: Path) -> None:
    """An embargoed dandiset: the CLI meets 401, authenticates with its key and retries;
    uploads are tagged embargoed; anonymous reads of the bytes stay refused."""
    from dandi.dandiapi import DandiAPIClient

    with DandiAPIClient(api_url=archive.api, token=archive.api_key) as client:
        ds = client.create_dandiset("Embargoed CLI test", {"name": "Embargoed CLI test"}, embargo=True)
    d = ds.identifier
    assert requests.get(f"{archive.api}/dandisets/{d}/", timeout=30).status_code == 401
    archive.dandi("download", "--download", "dandiset.yaml", "-o", outdir(tmp_path / "up"), f"{archive.api}/dandisets/{d}/", cwd=tmp_path)
    local = tmp_path / "up" / d
    (local / "secret").mkdir()
    (local / "secret" / "plan.txt").write_text("under embargo\n")
    archive.dandi("upload", "-i", archive.api_url, "--allow-any-path", "--validation", "skip", cwd=local)
    (asset,) = remote_assets(archive, d).values()
    assert requests.get(f"{archive.api}/assets/{asset['asset_id']}/download/", timeout=30).status_code == 401
    out = Path(outdir(tmp_path / "down"))
    archive.dandi("download", "-o", str(out), f"{archive.api}/dandisets/{d}/versions/draft/", cwd=tmp_path)
    assert (out / d / "secret" / "plan.txt").read_text() == "under embargo\n"
    ls = archive.dandi("ls", "-r", "-f", "json", f"{archive.api}/dandisets/{d}/", cwd=tmp_path).stdout
    assert "secret/plan.txt" in ls
    meta = requests.get(f"{archive.api}/assets/{asset['asset_id']}/", headers=archive.headers(), timeout=30).json()
    object_url = next(u for u in meta["contentUrl"] if "/download/" not in u)
    if archive.backend == "local":
        assert requests.get(object_url, timeout=30).status_code == 403  # the unsigned object URL
    else:  # S3 refuses it by bucket policy on the object's tag, which moto_server does not enforce
        import boto3

        url = urlsplit(object_url)
        bucket, key = url.path.lstrip("/").split("/", 1)
        s3 = boto3.client(
            "s3",
            endpoint_url=f"{url.scheme}://{url.netloc}",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        )
        tags = s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]
        assert {"Key": "embargoed", "Value": "true"} in tags


def test_upload_sync_dandiset_metadata_and_odd_paths(archive: Archive, tmp_path: Path) -> None:
    """Paths with the characters DANDI allows (space & # ( ) [ ] ~ = + ,), `upload --sync do`,
    and `upload --upload-dandiset-metadata` (PUT of the draft's metadata)."""
    from dandi.dandiapi import DandiAPIClient

    d = archive.create_dandiset("Odd paths")
    archive.dandi("download", "--download", "dandiset.yaml", "-o", outdir(tmp_path / "up"), f"{archive.api}/dandisets/{d}/", cwd=tmp_path)
    local = tmp_path / "up" / d
    odd = ["odd/a&b #1 (v2).txt", "odd/[x]~y=z+w,v.txt", "odd/with space/inner.txt", "keep.txt"]
    for i, p in enumerate(odd):
        (local / p).parent.mkdir(parents=True, exist_ok=True)
        (local / p).write_text(f"file {i}: {p}\n")
    meta = yaml.safe_load((local / "dandiset.yaml").read_text())
    meta["description"] = "Changed from the CLI with --upload-dandiset-metadata"
    (local / "dandiset.yaml").write_text(yaml.safe_dump(meta))
    archive.dandi(
        "upload", "-i", archive.api_url, "--allow-any-path", "--validation", "skip", "--upload-dandiset-metadata", cwd=local
    )
    assert set(remote_assets(archive, d)) == set(odd)
    raw = requests.get(f"{archive.api}/dandisets/{d}/versions/draft/", headers=archive.headers(), timeout=30).json()
    assert raw["description"] == "Changed from the CLI with --upload-dandiset-metadata"

    out = Path(outdir(tmp_path / "odd-down"))
    archive.dandi("download", "-o", str(out), f"{archive.api_url}/dandiset/{d}/draft/files?location=odd", cwd=tmp_path)
    assert files_under(out) == {p for p in odd if p.startswith("odd/")}
    for p in odd[:3]:
        assert (out / p).read_text() == (local / p).read_text()
    with DandiAPIClient(api_url=archive.api, token=archive.api_key) as client:
        ds = client.get_dandiset(d, "draft")
        assert ds.get_asset_by_path(odd[0]).path == odd[0]
        assert [x.path for x in ds.get_assets_by_glob("odd/[x]*")] == [odd[1]]
        assert [x.path for x in ds.get_assets_with_path_prefix("odd/with space/")] == [odd[2]]
        download = requests.get(ds.get_asset_by_path(odd[0]).download_url, timeout=30)
        assert download.content == (local / odd[0]).read_bytes()

    # --sync do: assets whose local file is gone are deleted on the server
    (local / odd[1]).unlink()
    (local / "keep.txt").unlink()
    archive.dandi(
        "upload", "-i", archive.api_url, "--allow-any-path", "--validation", "skip", "--existing", "skip", "--sync", "do", cwd=local
    )
    assert set(remote_assets(archive, d)) == {odd[0], odd[2]}


# --- writing: upload modes, rejection, move, delete (these change the dandiset) ------------


def _touch(path: Path, when: float) -> None:
    os.utime(path, (when, when))


def test_upload_existing_modes(seeded: Seeded) -> None:
    """--existing skip|error|refresh|overwrite|force. Uploads name a few paths and skip the
    CLI's NWB validation to stay quick; what is compared is the server's answer."""
    seeded.only_local()
    before = seeded.assets()
    readme, table = seeded.local / README, seeded.local / TABLE
    paths = [str(seeded.local / "docs"), str(seeded.local / BIG)]

    def upload(mode: str, check: bool = True):
        return seeded.upload("--existing", mode, "--validation", "skip", *paths, check=check)

    readme.write_text("read me second\n")
    _touch(readme, time.time() + 10)
    # skip: nothing changes although the file differs; error: an existing path fails
    upload("skip")
    assert seeded.assets() == before
    assert upload("error", check=False).returncode != 0
    assert seeded.assets() == before
    # refresh with an older local file: kept; with a newer one: replaced
    _touch(readme, time.time() - 10 * 365 * 86400)
    upload("refresh")
    assert seeded.assets()[README]["asset_id"] == before[README]["asset_id"]
    _touch(readme, time.time() + 20)
    upload("refresh")
    after_refresh = seeded.assets()
    assert after_refresh[README]["asset_id"] != before[README]["asset_id"]
    assert after_refresh[README]["size"] == len("read me second\n")
    unchanged = {p: x["asset_id"] for p, x in before.items() if p != README}
    assert {p: x["asset_id"] for p, x in after_refresh.items() if p != README} == unchanged
    # overwrite: only files whose content differs (big.bin is left alone)
    table.write_text("a,b\n3,4\n")
    upload("overwrite")
    after_overwrite = seeded.assets()
    assert after_overwrite[TABLE]["asset_id"] != after_refresh[TABLE]["asset_id"]
    assert after_overwrite[BIG]["asset_id"] == after_refresh[BIG]["asset_id"]
    # force: identical files too (initialize answers 409 + Location: the known blob is reused)
    upload("force")
    after_force = seeded.assets()
    assert set(after_force) == ALL
    assert {p: x["blob"] for p, x in after_force.items()} == {p: x["blob"] for p, x in after_overwrite.items()}
    out = seeded.download(f"{seeded.draft}assets/?path=docs/", to="after-force")
    seeded.same(README, out / "docs" / "readme.txt")
    seeded.same(TABLE, out / "docs" / "deep" / "nested" / "table.csv")


def test_rejected_upload_leaves_nothing(seeded: Seeded) -> None:
    """The CLI refuses a broken NWB file before any API call; --validation skip sends it."""
    seeded.only_local()
    before = seeded.assets()
    bad = seeded.local / "sub-mouse03" / "sub-mouse03_ses-01.nwb"
    write_random(bad, 4096, seed=3)  # not HDF5: the CLI's validation rejects it
    proc = seeded.upload(str(bad), check=False)
    assert proc.returncode != 0, proc.stdout
    assert seeded.assets() == before
    etag = _etag(seeded, bad)
    assert requests.post(
        f"{seeded.archive.api}/blobs/digest/", json={"algorithm": "dandi:dandi-etag", "value": etag}, timeout=30
    ).status_code == 404
    uploads = requests.get(
        f"{seeded.archive.api}/dandisets/{seeded.dandiset}/uploads/", headers=seeded.archive.headers(), timeout=30
    ).json()
    assert uploads["count"] == 0
    # --validation skip uploads it anyway
    seeded.upload("--validation", "skip", str(bad))
    assert set(seeded.assets()) == set(before) | {"sub-mouse03/sub-mouse03_ses-01.nwb"}
    seeded.archive.dandi(
        "delete", "--force", f"{seeded.draft}assets/?path=sub-mouse03/sub-mouse03_ses-01.nwb", cwd=seeded.tmp
    )
    bad.unlink()
    bad.parent.rmdir()
    assert set(seeded.assets()) == set(before)

    # A path only the server refuses (":" is outside DANDI's path pattern): the bytes go up
    # first, then POST .../assets/ answers 400 "Path improperly formatted" and the CLI fails.
    # As in DANDI the blob stays (an orphan for garbage collection); no asset, no open upload.
    odd = seeded.local / "bad:name.txt"
    odd.write_text("a colon is not allowed in asset paths\n")
    proc = seeded.upload("--validation", "skip", str(odd), check=False)
    odd.unlink()
    assert proc.returncode != 0 and "Path improperly formatted" in proc.stderr
    assert seeded.assets() == before
    uploads = requests.get(
        f"{seeded.archive.api}/dandisets/{seeded.dandiset}/uploads/", headers=seeded.archive.headers(), timeout=30
    ).json()
    assert uploads["count"] == 0


def _etag(seeded: Seeded, path: Path) -> str:
    out = seeded.archive.dandi("digest", "-d", "dandi-etag", str(path), cwd=seeded.tmp).stdout
    return out.strip().rsplit(" ", 1)[-1]


def test_move_remote(seeded: Seeded) -> None:
    seeded.only_local()
    before = seeded.assets()
    seeded.archive.dandi(
        "move", "--dandiset", seeded.draft, "--work-on", "remote", "docs/readme.txt", "notes/readme.txt", cwd=seeded.tmp
    )
    after = seeded.assets()
    assert "notes/readme.txt" in after and README not in after
    assert after["notes/readme.txt"]["blob"] == before[README]["blob"]
    seeded.archive.dandi("move", "--dandiset", seeded.draft, "--work-on", "remote", "notes/readme.txt", README, cwd=seeded.tmp)
    assert set(seeded.assets()) == set(before)


def test_delete_folder_and_dandiset(seeded: Seeded) -> None:
    a = seeded.archive
    a.dandi("delete", "--force", f"{seeded.draft}assets/?path=docs/", cwd=seeded.tmp)
    assert set(seeded.assets()) == ALL - {README, TABLE}
    a.dandi("delete", "--force", f"{seeded.draft}assets/{seeded.assets()[NWB2]['asset_id']}/", cwd=seeded.tmp)
    assert set(seeded.assets()) == {NWB1, BIG}
    # A whole dandiset (never published).
    a.dandi("delete", "--force", f"{a.api}/dandisets/{seeded.dandiset}/", cwd=seeded.tmp)
    assert requests.get(f"{a.api}/dandisets/{seeded.dandiset}/", timeout=30).status_code == 404
