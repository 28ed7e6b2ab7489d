import type { AppDeps } from "../../context";

/** GET /api/info/: every key DANDI serves; the CLI reads the hyphenated ones. */
export function presentInfo({ config, schemas, version }: AppDeps) {
  const api = new URL(config.DANDI_API_URL);
  return {
    instance_config: {
      instance_name: config.DANDI_INSTANCE_NAME,
      instance_identifier: config.DANDI_INSTANCE_IDENTIFIER,
      // dandischema's Config holds it as a pydantic AnyHttpUrl, which serialises a bare origin with "/".
      instance_url: new URL(config.DANDI_WEB_APP_URL).href,
      doi_prefix: config.DANDI_DOI_API_PREFIX,
      licenses: config.DANDI_LICENSES,
    },
    schema_version: schemas.schemaVersion,
    schema_url: `${api.protocol}//${api.host}/api/schemas/?model=Dandiset`,
    allowed_schema_versions: schemas.allowedSchemaVersions,
    version,
    "cli-minimal-version": "0.74.0",
    "cli-requires-python": ">=3.10",
    "cli-bad-versions": [] as string[],
    services: {
      api: { url: `${config.DANDI_API_URL}/api` },
      webui: { url: config.DANDI_WEB_APP_URL },
      jupyterhub: { url: config.DANDI_JUPYTERHUB_URL },
    },
  };
}
