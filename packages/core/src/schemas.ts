import fs from "node:fs/promises";
import path from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { TConfig } from "./config";
import { toValidationIssues, type ValidationIssue } from "@dandi/shared";
import { createMetadataAjv } from "./validation/metadata-ajv";

export type SchemaModel = "Dandiset" | "Asset" | "PublishedDandiset" | "PublishedAsset";

const FILES: Record<SchemaModel, string> = {
  Dandiset: "dandiset.json",
  Asset: "asset.json",
  PublishedDandiset: "published-dandiset.json",
  PublishedAsset: "published-asset.json",
};

export const SCHEMA_MODELS = Object.keys(FILES) as SchemaModel[];

export type { ValidationIssue };

/**
 * DANDI's metadata JSON Schemas for one schema version, loaded from
 * DANDI_SCHEMA_DIR (written by scripts/generate-schemas.py from dandischema) or
 * downloaded from DANDI_SCHEMA_URL, as DANDI's web app loads them.
 */
export class SchemaCatalog {
  private readonly validators = new Map<SchemaModel, ValidateFunction>();

  private constructor(
    readonly schemaVersion: string,
    readonly allowedSchemaVersions: string[],
    private readonly schemas: Map<SchemaModel, object>,
  ) {}

  /** The JSON Schema document of a model. */
  schema(model: SchemaModel): object {
    return this.schemas.get(model)!;
  }

  /** Validates metadata; returns DANDI-style [{field, message}] (empty when valid). */
  validate(model: SchemaModel, metadata: unknown): ValidationIssue[] {
    let validator = this.validators.get(model);
    if (!validator) {
      validator = createMetadataAjv(Ajv2020, addFormats.default).compile(this.schema(model));
      this.validators.set(model, validator);
    }
    if (validator(metadata)) return [];
    return toValidationIssues(validator.errors ?? []);
  }

  static async load(config: TConfig): Promise<SchemaCatalog> {
    const dir = config.DANDI_SCHEMA_DIR;
    const meta = await readJson<{ schema_version: string; allowed_schema_versions: string[] }>(
      path.join(dir, "versions.json"),
    ).catch(() => null);
    const version = config.DANDI_SCHEMA_VERSION ?? meta?.schema_version ?? (await newestVersionIn(dir));
    if (!version) {
      throw new Error(
        `No DANDI schema found in ${dir}; run scripts/generate-schemas.py or set DANDI_SCHEMA_VERSION to download it`,
      );
    }
    const schemas = new Map<SchemaModel, object>();
    for (const model of SCHEMA_MODELS) {
      schemas.set(model, await loadSchemaFile(config, version, FILES[model]));
    }
    const allowed = meta?.allowed_schema_versions ?? [version];
    return new SchemaCatalog(version, allowed.includes(version) ? allowed : [...allowed, version], schemas);
  }
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await fs.readFile(file, "utf8")) as T;
}

async function newestVersionIn(dir: string): Promise<string | undefined> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  const versions = entries.filter((e) => /^\d+\.\d+\.\d+$/.test(e));
  const key = (v: string) =>
    v
      .split(".")
      .map((n) => n.padStart(6, "0"))
      .join(".");
  return versions.sort((a, b) => key(a).localeCompare(key(b))).at(-1);
}

async function loadSchemaFile(config: TConfig, version: string, file: string): Promise<object> {
  const local = path.join(config.DANDI_SCHEMA_DIR, version, file);
  try {
    return await readJson<object>(local);
  } catch {
    const url = `${config.DANDI_SCHEMA_URL}/${version}/${file}`;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`Cannot load ${file} for schema ${version}: ${url} answered ${res.status}`);
    const body = (await res.json()) as object;
    await fs.mkdir(path.dirname(local), { recursive: true });
    await fs.writeFile(local, JSON.stringify(body));
    return body;
  }
}
