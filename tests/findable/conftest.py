"""A built API on a fresh database, seeded with public, embargoed and published dandisets, for the
crawler and harvester tests. The process helpers are tests/cli's (loaded from its conftest)."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("cli_conftest", REPO / "tests" / "cli" / "conftest.py")
cli = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["cli_conftest"] = cli
_spec.loader.exec_module(cli)  # type: ignore[union-attr]

PAGE_SIZE = 3


def sql(url: str, statement: str) -> str:
    return subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-qtAc", statement], check=True, capture_output=True, text=True
    ).stdout.strip()


@dataclass
class Seeded:
    api_url: str
    web_url: str
    public: list[str]  # dandiset identifiers (OPEN)
    hidden: list[str]  # EMBARGOED and UNEMBARGOING
    published: list[tuple[str, str]]  # (identifier, version) of every published version of a public dandiset


def metadata(name: str, version: str, identifier: str) -> dict:
    doc = {
        "schemaVersion": "0.7.0",
        "name": name,
        "description": f"**{name}**: spikes from mouse V1.",
        "license": ["spdx:CC-BY-4.0"],
        "keywords": ["mouse", "ecephys"],
        "contributor": [
            {"schemaKey": "Person", "name": "Doe, Jane", "identifier": "0000-0002-1825-0097", "includeInCitation": True},
            {"schemaKey": "Organization", "name": "Lab X", "identifier": "https://ror.org/05dxps055", "includeInCitation": True},
        ],
        "dateCreated": "2024-01-01T00:00:00+00:00",
        "assetsSummary": {"species": [{"identifier": "http://purl.obolibrary.org/obo/NCBITaxon_10090", "name": "Mus musculus"}]},
    }
    if version != "draft":
        doc["datePublished"] = "2024-02-01T00:00:00+00:00"
        doc["doi"] = f"10.80507/dandi.{identifier}/{version}"
    return doc


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("findable")
    db_name = f"dandi_findable_{uuid.uuid4().hex[:8]}"
    cli.psql(f'CREATE DATABASE "{db_name}"')
    url = cli.db_url(db_name)
    port = cli.free_port()
    api_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "NODE_ENV": "production",
        "DATABASE_URL": url,
        "PORT": str(port),
        "DANDI_API_URL": api_url,
        "DANDI_WEB_APP_URL": "http://web.example.org",
        "SESSION_SECRET": uuid.uuid4().hex + uuid.uuid4().hex,
        "LOG_LEVEL": "warn",
        "STORAGE_BACKEND": "local",
        "LOCAL_STORAGE_DIR": str(tmp / "storage"),
        "JOBS_PREFIX": f"dandi-findable-{db_name}",
        "OAI_PAGE_SIZE": str(PAGE_SIZE),
    }
    proc = None
    try:
        subprocess.run(["pnpm", "run", "--silent", "db:migrate"], cwd=REPO, env=env, check=True, capture_output=True)
        public: list[str] = []
        hidden: list[str] = []
        published: list[tuple[str, str]] = []
        for n, status in enumerate(["OPEN"] * 7 + ["EMBARGOED", "UNEMBARGOING"]):
            end = "NULL" if status == "OPEN" else "'2030-01-01'"
            did = int(sql(url, f"INSERT INTO dandisets (embargo_status, embargo_end_date) VALUES ('{status}', {end}) RETURNING id"))
            ident = f"{did:06d}"
            name = f"Dataset {n}" if status == "OPEN" else f"Secret {status.lower()} {n}"
            versions = ["draft"] + ([f"0.240201.{1000 + n * 2 + k}" for k in range(1 + n % 2)] if status == "OPEN" else [])
            for v in versions:
                doc = json.dumps(metadata(name, v, ident)).replace("'", "''")
                doi = "NULL" if v == "draft" else f"'10.80507/dandi.{ident}/{v}'"
                sql(url, f"INSERT INTO versions (dandiset_id, version, name, metadata, status, doi) "
                         f"VALUES ({did}, '{v}', '{name}', '{doc}'::jsonb, 'Valid', {doi})")
                if v != "draft":
                    published.append((ident, v))
            (public if status == "OPEN" else hidden).append(ident)
        server = REPO / "apps" / "api" / "dist" / "server.js"
        log = open(tmp / "api.log", "wb")
        proc = subprocess.Popen(["node", str(server)], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        cli.wait_http(f"{api_url}/api/info/")
        yield Seeded(api_url=api_url, web_url="http://web.example.org", public=public, hidden=hidden, published=published)
    finally:
        if proc:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        log_file = tmp / "api.log"
        if log_file.exists() and proc and proc.returncode not in (0, None, -15):
            sys.stderr.write(log_file.read_text()[-3000:])
        cli.psql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
