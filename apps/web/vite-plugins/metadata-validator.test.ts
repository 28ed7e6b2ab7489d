// @vitest-environment node
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metadataValidator, schemaDigest } from "./metadata-validator";

const SCHEMAS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../schemas");
const VERSION = (JSON.parse(fs.readFileSync(path.join(SCHEMAS, "versions.json"), "utf8")) as { schema_version: string })
  .schema_version;
const SCHEMA = JSON.parse(fs.readFileSync(path.join(SCHEMAS, VERSION, "published-dandiset.json"), "utf8")) as object;

/** Runs the plugin's load hook as Vite would, collecting its warnings. */
async function load(plugin: ReturnType<typeof metadataValidator>) {
  const warnings: string[] = [];
  const ctx = {
    warn: (m: string) => warnings.push(m),
    error: (m: string) => {
      throw new Error(m);
    },
    addWatchFile: () => {},
  };
  const id = (plugin.resolveId as (id: string) => string)("virtual:published-dandiset-validator");
  const code = (await (plugin.load as (this: typeof ctx, id: string) => Promise<string>).call(ctx, id)) as string;
  return { code, warnings };
}

// A release server laid out as dandi/schema's releases (<version>/<file>), serving the repository's schemas.
let server: http.Server;
let releases: string;
const requested: string[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    requested.push(req.url!);
    const file = path.join(SCHEMAS, path.normalize(req.url!).replace(/^\/releases\//, ""));
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  releases = `http://127.0.0.1:${(server.address() as AddressInfo).port}/releases`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const emptyDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "no-schemas-"));

describe("the metadata validator's schema", () => {
  it("comes from the schema folder when it has one", async () => {
    const { code, warnings } = await load(metadataValidator(SCHEMAS, { schemaUrl: "http://127.0.0.1:9/never" }));
    expect(warnings).toEqual([]);
    expect(code).toContain(`export const schemaVersion = ${JSON.stringify(VERSION)};`);
    expect(code).toContain(`export const schemaDigest = ${JSON.stringify(schemaDigest(SCHEMA))};`);
  });

  it("is downloaded from DANDI_SCHEMA_URL for DANDI_SCHEMA_VERSION without one (a Netlify build)", async () => {
    requested.length = 0;
    const { code, warnings } = await load(
      metadataValidator(emptyDir(), { schemaVersion: VERSION, schemaUrl: `${releases}/` }),
    );
    expect(requested).toEqual([`/releases/${VERSION}/published-dandiset.json`]);
    expect(warnings).toEqual([]);
    // The same digest the API serves for the same file: the editor trusts these verdicts.
    expect(code).toContain(`export const schemaDigest = ${JSON.stringify(schemaDigest(SCHEMA))};`);
    expect(code).not.toContain("validate = null");
  });

  it("fails the build when the asked-for version cannot be downloaded", async () => {
    await expect(load(metadataValidator(emptyDir(), { schemaVersion: "9.9.9", schemaUrl: releases }))).rejects.toThrow(
      /9\.9\.9\/published-dandiset\.json: it answered 404/,
    );
  });

  it("is absent, with a warning, when there is neither a folder nor a version", async () => {
    const { code, warnings } = await load(metadataValidator(emptyDir()));
    expect(code).toContain("export const validate = null;");
    expect(warnings.join()).toMatch(/without validation as you type/);
  });
});
