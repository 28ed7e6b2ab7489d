"""Writes DANDI's metadata JSON Schemas into ./schemas with dandischema (PyPI).

DANDI's web app loads these files from the dandi/schema releases; offline, the
dandischema package writes the same files. They are generated, never committed.
Usage: python scripts/generate-schemas.py [OUT_DIR]
"""
import json
import sys
from pathlib import Path

from dandischema import consts
from dandischema.metadata import publish_model_schemata

out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "schemas")
out.mkdir(parents=True, exist_ok=True)
publish_model_schemata(str(out))
(out / "versions.json").write_text(
    json.dumps(
        {
            "schema_version": consts.DANDI_SCHEMA_VERSION,
            "allowed_schema_versions": list(consts.ALLOWED_INPUT_SCHEMAS),
        },
        indent=2,
    )
)
print(f"wrote schema {consts.DANDI_SCHEMA_VERSION} to {out}")
