import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import standaloneCode from "ajv/dist/standalone/index.js";
import type { Plugin } from "vite";
import { createMetadataAjv } from "../../../packages/core/src/validation/metadata-ajv";

const ID = "virtual:published-dandiset-validator";
const RESOLVED = `\0${ID}`;

/** SHA-256 of a schema as the API serves it (`res.json` of the parsed file): what the editor compares at run time. */
export function schemaDigest(schema: unknown): string {
  return createHash("sha256").update(JSON.stringify(schema)).digest("hex");
}

/**
 * `virtual:published-dandiset-validator`: DANDI's PublishedDandiset JSON Schema
 * (the file the API and worker load from DANDI_SCHEMA_DIR, by default the
 * repository's `schemas/`) compiled at build time by the same ajv set-up the
 * server validates with (createMetadataAjv) into standalone code. The web app's
 * Content-Security-Policy (script-src 'self') forbids the `new Function` ajv
 * compiles with at run time, so the browser gets ajv's generated code instead.
 * The module also exports the schema's version and digest, which the editor
 * checks against the server's own schema before trusting its verdicts.
 *
 * Where the schema comes from, as the server's SchemaCatalog finds it: `schemaDir`
 * (`versions.json` names the version), else, when `schemaVersion` is set (a Netlify build:
 * DANDI_SCHEMA_VERSION, the same value the API runs with), the release file downloaded from
 * `schemaUrl` (DANDI_SCHEMA_URL, by default dandi/schema's releases, where the API downloads
 * it from too). A download that fails fails the build. With neither, it warns and exports
 * `validate: null` (the editor then shows only the server's verdict).
 */
export function metadataValidator(
  schemaDir: string,
  { schemaVersion, schemaUrl = DEFAULT_SCHEMA_URL }: { schemaVersion?: string; schemaUrl?: string } = {},
): Plugin {
  return {
    name: "dandi-published-dandiset-validator",
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    async load(id) {
      if (id !== RESOLVED) return undefined;
      const versions = path.join(schemaDir, "versions.json");
      if (fs.existsSync(versions)) {
        const version = (JSON.parse(fs.readFileSync(versions, "utf8")) as { schema_version: string }).schema_version;
        const file = path.join(schemaDir, version, "published-dandiset.json");
        this.addWatchFile(file);
        return validatorModule(JSON.parse(fs.readFileSync(file, "utf8")) as object, version);
      }
      if (schemaVersion) {
        const url = `${schemaUrl.replace(/\/+$/, "")}/${schemaVersion}/published-dandiset.json`;
        const res = await fetch(url).catch((err: Error) => this.error(`cannot download ${url}: ${err.message}`));
        if (!res.ok) this.error(`cannot download ${url}: it answered ${res.status}`);
        return validatorModule((await res.json()) as object, schemaVersion);
      }
      this.warn(
        `no ${versions} and no DANDI_SCHEMA_VERSION: the metadata editor is built without validation as you type`,
      );
      return "export const validate = null; export const schemaVersion = null; export const schemaDigest = null;";
    },
  };
}

/** Where the API downloads DANDI's schemas from when DANDI_SCHEMA_DIR has no copy (core's config default). */
export const DEFAULT_SCHEMA_URL = "https://raw.githubusercontent.com/dandi/schema/master/releases";

/** The virtual module's source: ajv's standalone validator of `schema`, its version and digest. */
function validatorModule(schema: object, version: string): string {
  const ajv = createMetadataAjv(Ajv2020, addFormats.default, { code: { source: true, esm: true } });
  let code = standaloneCode(ajv, ajv.compile(schema));
  // The generated code `require`s ajv's runtime helpers and ajv-formats' formats (CommonJS): import them
  // instead, as the `exports` object whether the bundler's interop or Node's hands over the namespace.
  const imports: string[] = [];
  code = code.replace(/require\("([^"]+)"\)/g, (_match: string, spec: string) => {
    const name = `__ajv_dep${imports.length}`;
    imports.push(
      `import * as ${name}_ns from ${JSON.stringify(spec)};`,
      `const ${name} = ${name}_ns.default?.__esModule ? ${name}_ns.default : ${name}_ns;`,
    );
    return name;
  });
  return [
    ...imports,
    code,
    `export const schemaVersion = ${JSON.stringify(version)};`,
    `export const schemaDigest = ${JSON.stringify(schemaDigest(schema))};`,
  ].join("\n");
}
