/**
 * How a draft's metadata is judged, shared by the worker (core's validate-version-metadata.ts)
 * and the web app's metadata editor, so both reach the same verdict. Browser-safe:
 * no Node modules and no imports, only the data shapes of ajv's errors.
 */

export interface ValidationIssue {
  field: string;
  message: string;
}

/** The parts of an ajv `ErrorObject` read here. */
export interface TAjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A compiled validator of one schema: DANDI-style [{field, message}], empty when valid. */
export type TMetadataValidator = (metadata: unknown) => ValidationIssue[];

/** ajv's errors as DANDI's [{field, message}] ("contributor.0.name"). */
export function toValidationIssues(errors: readonly TAjvError[]): ValidationIssue[] {
  return errors.map((err) => {
    const pointer = err.instancePath.replace(/^\//, "").split("/").filter(Boolean);
    if (err.keyword === "required") pointer.push(String(err.params.missingProperty));
    if (err.keyword === "additionalProperties") pointer.push(String(err.params.additionalProperty));
    return { field: pointer.join("."), message: err.message ?? err.keyword };
  });
}

type TMetadata = Record<string, unknown>;

/** The instance settings the publish placeholders are made of (the server's config; /api/info/ in the browser). */
export interface TInstanceSettings {
  instanceName: string;
  instanceIdentifier: string | null | undefined;
  webAppUrl: string;
  doiPrefix: string;
}

/** DANDI's `publishedBy` PublishActivity at `at` (a Python isoformat timestamp), with ids from `uuid`. */
export function publishActivity(
  instance: Pick<TInstanceSettings, "instanceName" | "instanceIdentifier">,
  at: string,
  uuid: () => string,
): TMetadata {
  return {
    id: `urn:uuid:${uuid()}`,
    name: "DANDI publish",
    startDate: at,
    endDate: at,
    wasAssociatedWith: [
      {
        id: `urn:uuid:${uuid()}`,
        identifier: instance.instanceIdentifier,
        name: `${instance.instanceName} API`,
        version: "0.1.0",
        schemaKey: "Software",
      },
    ],
    schemaKey: "PublishActivity",
  };
}

/** "0.YYMMDD.HHMM" of a UTC time (Version.datetime_to_version). */
export function nextVersionString(now: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const yy = p(now.getUTCFullYear() % 100);
  return `0.${yy}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}.${p(now.getUTCHours())}${p(now.getUTCMinutes())}`;
}

export interface TValidatableOptions {
  instance: TInstanceSettings;
  /** The six-digit dandiset identifier. */
  identifier: string;
  now: Date;
  /** `now` as Python's isoformat, and the publish activity of that moment. */
  datePublished: string;
  publishedBy: TMetadata;
  hasBytes: boolean;
  hasFiles: boolean;
}

/** The draft metadata as the publish job would produce it, with placeholders for what only publishing knows. */
export function buildValidatableMetadata(draft: TMetadata, options: TValidatableOptions): TMetadata {
  const { instance, identifier, now, hasBytes, hasFiles } = options;
  const version = nextVersionString(now);
  const name = instance.instanceName;
  return {
    ...(JSON.parse(JSON.stringify(draft)) as TMetadata),
    publishedBy: options.publishedBy,
    datePublished: options.datePublished,
    id: `${name}:${identifier}/${version}`,
    url: `${instance.webAppUrl.replace(/\/+$/, "")}/dandiset/${identifier}/${version}`,
    doi: `${instance.doiPrefix}/${name.toLowerCase()}.123456/0.123456.1234`,
    assetsSummary: { schemaKey: "AssetsSummary", numberOfBytes: hasBytes ? 1 : 0, numberOfFiles: hasFiles ? 1 : 0 },
  };
}

const EMPTY_DANDISET_MESSAGE = "Value error, A Dandiset containing no files or zero bytes is not publishable";

/**
 * The errors of validatable metadata (buildValidatableMetadata) against the
 * PublishedDandiset schema, with dandischema's checks the JSON Schema cannot
 * express: an allowed schemaVersion, and a dandiset with files and bytes.
 */
export function draftValidationIssues(
  validatePublished: TMetadataValidator,
  allowedSchemaVersions: readonly string[],
  metadata: TMetadata,
): ValidationIssue[] {
  const schemaVersion = metadata.schemaVersion;
  // dandischema refuses metadata of a schema version it cannot validate (a bare ValueError, field '').
  if (typeof schemaVersion !== "string" || !allowedSchemaVersions.includes(schemaVersion)) {
    return [
      {
        field: "",
        message: `Metadata version ${String(schemaVersion)} is not allowed. Allowed are: ${allowedSchemaVersions.join(", ")}.`,
      },
    ];
  }
  const errors: ValidationIssue[] = [];
  const summary = metadata.assetsSummary as { numberOfBytes: number; numberOfFiles: number };
  // A model validator in dandischema, which the JSON Schema cannot express.
  if (summary.numberOfBytes === 0 || summary.numberOfFiles === 0) {
    errors.push({ field: "assetsSummary", message: EMPTY_DANDISET_MESSAGE });
  }
  errors.push(...validatePublished(metadata));
  return errors;
}
