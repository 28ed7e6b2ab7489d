import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { TServerInfo } from "../api/types";
import { fieldPath, matchesServerSchema, validateDraft, BUNDLED_SCHEMA_VERSION } from "./metadata-validation";
import type { TConfig } from "../../../../packages/core/src/config";
import { SchemaCatalog } from "../../../../packages/core/src/schemas";
import { buildValidatableMetadata, draftValidationIssues, publishActivity } from "@dandi/shared";

const SCHEMAS = path.resolve(import.meta.dirname, "../../../../schemas");
const version = JSON.parse(fs.readFileSync(path.join(SCHEMAS, "versions.json"), "utf8")).schema_version as string;
const readSchema = (file: string) => JSON.parse(fs.readFileSync(path.join(SCHEMAS, version, file), "utf8"));

const INFO: TServerInfo = {
  schema_version: version,
  allowed_schema_versions: [version],
  schema_url: "http://api.test/api/schemas/?model=Dandiset",
  version: "test",
  services: { api: { url: "http://api.test/api" } },
  instance_config: {
    instance_name: "DANDI",
    instance_identifier: "RRID:SCR_017571",
    instance_url: "http://web.test/",
    doi_prefix: "10.80507",
  },
};
const FACTS = { identifier: "000123", hasBytes: true, hasFiles: true };

/** A draft as the API stores it after a save. */
const draft = (): Record<string, unknown> => ({
  schemaKey: "Dandiset",
  schemaVersion: version,
  id: "DANDI:000123/draft",
  identifier: "DANDI:000123",
  version: "draft",
  name: "Visual cortex",
  description: "Recordings",
  citation:
    "Doe, Jane (2026) Visual cortex (Version draft) [Data set]. DANDI Archive. http://web.test/dandiset/000123/draft",
  license: ["spdx:CC0-1.0"],
  manifestLocation: ["http://api.test/api/dandisets/000123/versions/draft/assets/"],
  contributor: [
    {
      schemaKey: "Person",
      name: "Doe, Jane",
      email: "jane@example.org",
      roleName: ["dcite:ContactPerson"],
      includeInCitation: true,
    },
  ],
  access: [{ schemaKey: "AccessRequirements", status: "dandi:OpenAccess" }],
});

describe("validateDraft (ajv's build-time code over the server's PublishedDandiset schema)", () => {
  it("finds a complete draft valid", () => {
    expect(BUNDLED_SCHEMA_VERSION).toBe(version);
    expect(validateDraft(draft(), INFO, FACTS)).toEqual([]);
  });

  it("reports what the old hand-written validator let through, as the server does", async () => {
    // json-schema.ts's validateValue (removed with this test's commit) skipped null values, so it answered
    // "No problems found" for this draft while the worker stored it Invalid ("keywords: must be array").
    const doc = { ...draft(), keywords: null };
    const browser = validateDraft(doc, INFO, FACTS);
    expect(browser).toEqual([{ field: "keywords", message: "must be array" }]);
    expect(browser.map((e) => fieldPath(e.field))).toEqual(["/keywords"]);
    // The server's own validator (SchemaCatalog, ajv compiled at run time) on the same placeholders.
    const catalog = await SchemaCatalog.load({
      DANDI_SCHEMA_DIR: SCHEMAS,
      DANDI_SCHEMA_VERSION: undefined,
      DANDI_SCHEMA_URL: "http://schemas.invalid",
    } as unknown as TConfig);
    const now = new Date();
    const published = buildValidatableMetadata(doc, {
      instance: {
        instanceName: "DANDI",
        instanceIdentifier: "RRID:SCR_017571",
        webAppUrl: "http://web.test",
        doiPrefix: "10.80507",
      },
      identifier: "000123",
      now,
      datePublished: now.toISOString(),
      publishedBy: publishActivity(
        { instanceName: "DANDI", instanceIdentifier: "RRID:SCR_017571" },
        now.toISOString(),
        () => crypto.randomUUID(),
      ),
      hasBytes: true,
      hasFiles: true,
    });
    expect(draftValidationIssues((m) => catalog.validate("PublishedDandiset", m), [version], published)).toEqual(
      browser,
    );
  });

  it("reports the empty dandiset and a schemaVersion the server does not allow, as the worker does", () => {
    expect(validateDraft(draft(), INFO, { ...FACTS, hasFiles: false })).toEqual([
      {
        field: "assetsSummary",
        message: "Value error, A Dandiset containing no files or zero bytes is not publishable",
      },
    ]);
    expect(validateDraft({ ...draft(), schemaVersion: "0.0.1" }, INFO, FACTS)[0]!.message).toMatch(
      /Metadata version 0.0.1 is not allowed/,
    );
  });

  it("trusts its verdicts only when the server serves the schema it was built with", async () => {
    const schema = readSchema("published-dandiset.json");
    expect(await matchesServerSchema(schema)).toBe(true);
    expect(await matchesServerSchema({ ...schema, title: "changed" })).toBe(false);
  });
});
