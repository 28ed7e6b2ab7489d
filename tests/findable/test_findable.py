"""Crawlers and harvesters against the built API: JSON-LD read by extruct, the sitemap by lxml,
OAI-PMH harvested by oaipmh-scythe across resumption tokens and checked against the OAI-PMH XSD."""

from __future__ import annotations

from pathlib import Path

import extruct
import requests
from lxml import etree
from oaipmh_scythe import Scythe

from conftest import PAGE_SIZE, Seeded

OAI_XSD = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "OAI-PMH.xsd")))
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def landing(seeded: Seeded, ident: str, version: str) -> str:
    return f"{seeded.api_url}/api/dandisets/{ident}/versions/{version}/landing/"


def test_json_ld_is_a_schema_org_dataset(seeded: Seeded):
    ident, version = seeded.published[0]
    url = landing(seeded, ident, version)
    res = requests.get(url, timeout=10)
    assert res.status_code == 200
    assert res.headers["Content-Type"].startswith("text/html")
    assert res.headers["Cache-Control"].startswith("public")
    data = extruct.extract(res.text, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=True)
    datasets = [d for d in data["json-ld"] if d.get("@type") == "Dataset"]
    assert len(datasets) == 1
    ds = datasets[0]
    # Google Dataset Search's required and recommended fields.
    for field in ["name", "description", "identifier", "url", "license", "creator", "datePublished",
                  "dateModified", "version", "keywords", "includedInDataCatalog", "distribution",
                  "isAccessibleForFree"]:
        assert ds.get(field) not in (None, "", []), field
    assert ds["@context"].rstrip("/") in ("https://schema.org", "http://schema.org")
    assert ds["identifier"] == f"https://doi.org/10.80507/dandi.{ident}/{version}"
    assert ds["url"] == url
    assert ds["version"] == version
    assert ds["license"] == ["https://creativecommons.org/licenses/by/4.0/"]
    assert ds["creator"][0] == {
        "@type": "Person", "name": "Doe, Jane",
        "sameAs": "https://orcid.org/0000-0002-1825-0097", "identifier": "https://orcid.org/0000-0002-1825-0097",
    }
    assert ds["creator"][1]["@type"] == "Organization" and ds["creator"][1]["sameAs"] == "https://ror.org/05dxps055"
    assert ds["includedInDataCatalog"]["@type"] == "DataCatalog"
    assert ds["distribution"][0]["@type"] == "DataDownload"
    og = data["opengraph"][0]
    assert og["og:url"] == url and og["og:title"].startswith("Dataset 0")
    # The same page answers a revalidation with 304.
    again = requests.get(url, headers={"If-None-Match": res.headers["ETag"]}, timeout=10)
    assert again.status_code == 304


def test_embargoed_dandisets_have_no_page(seeded: Seeded):
    for ident in seeded.hidden:
        res = requests.get(landing(seeded, ident, "draft"), timeout=10)
        assert res.status_code == 404
        assert "Secret" not in res.text


def test_sitemap_lists_every_public_version(seeded: Seeded):
    res = requests.get(f"{seeded.api_url}/api/sitemap.xml", timeout=10)
    assert res.status_code == 200
    root = etree.fromstring(res.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locs = root.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    expected = {landing(seeded, i, "draft") for i in seeded.public} | {landing(seeded, i, v) for i, v in seeded.published}
    assert set(locs) == expected and len(locs) == len(expected)
    assert all(root.xpath("//s:url/s:lastmod/text()", namespaces=SITEMAP_NS))
    assert not any(i in "".join(locs) for i in seeded.hidden)
    for loc in locs[:3]:
        assert requests.get(loc, timeout=10).status_code == 200


def test_harvest_the_whole_archive_with_resumption(seeded: Seeded):
    endpoint = f"{seeded.api_url}/api/oai/"
    expected = {f"oai:web.example.org:{i}/{v}" for i, v in seeded.published}
    assert len(expected) > PAGE_SIZE * 2  # several pages: the resumption tokens are exercised
    with Scythe(endpoint) as scythe:
        identify = scythe.identify()
        assert identify.protocolVersion == "2.0"
        assert identify.deletedRecord == "transient"
        for prefix in ["oai_dc", "oai_datacite"]:
            records = list(scythe.list_records(metadata_prefix=prefix))
            ids = [r.header.identifier for r in records]
            assert sorted(ids) == sorted(expected), prefix
        dc = {r.header.identifier: r.metadata for r in scythe.list_records(metadata_prefix="oai_dc")}
        some = dc[f"oai:web.example.org:{seeded.published[0][0]}/{seeded.published[0][1]}"]
        assert some["title"] == ["Dataset 0"]
        assert some["creator"] == ["Doe, Jane", "Lab X"]
        headers = list(scythe.list_identifiers(metadata_prefix="oai_dc", set_="license:CC-BY-4.0"))
        assert len(headers) == len(expected)
        sets = [s.setSpec for s in scythe.list_sets()]
        assert sets == ["license:CC-BY-4.0", "species:NCBITaxon_10090"]


def test_responses_are_valid_oai_pmh(seeded: Seeded):
    endpoint = f"{seeded.api_url}/api/oai/"

    def valid(params: dict[str, str]) -> etree._Element:
        res = requests.get(endpoint, params=params, timeout=10)
        assert res.status_code == 200 and res.headers["Content-Type"].startswith("text/xml")
        doc = etree.fromstring(res.content)
        assert OAI_XSD.validate(doc), OAI_XSD.error_log
        return doc

    ns = {"o": "http://www.openarchives.org/OAI/2.0/"}
    valid({"verb": "Identify"})
    valid({"verb": "ListMetadataFormats"})
    valid({"verb": "ListSets"})
    page = valid({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    token = page.xpath("//o:resumptionToken", namespaces=ns)[0]
    assert token.get("cursor") == "0" and int(token.get("completeListSize")) == len(seeded.published)
    second = valid({"verb": "ListIdentifiers", "resumptionToken": token.text})
    assert second.xpath("//o:resumptionToken/@cursor", namespaces=ns) == [str(PAGE_SIZE)]
    for params, code in [
        ({"verb": "Bogus"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc"}, "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:1"}, "idDoesNotExist"),
        ({"verb": "ListRecords", "resumptionToken": "nope"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"}, "noRecordsMatch"),
    ]:
        doc = valid(params)
        assert doc.xpath("//o:error/@code", namespaces=ns) == [code]
