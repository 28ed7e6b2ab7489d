import { z } from "zod";
import { registry } from "../../openapi";

const ZServiceSchema = z.object({ url: z.string().nullable() });

/** GET /api/info/ (dandi-cli reads the hyphenated keys). */
export const ZInfoSchema = registry.register(
  "ApiInfo",
  z.object({
    instance_config: z.object({
      instance_name: z.string(),
      instance_identifier: z.string().nullable(),
      instance_url: z.string(),
      doi_prefix: z.string().nullable(),
      licenses: z.array(z.string()),
    }),
    schema_version: z.string(),
    schema_url: z.string(),
    allowed_schema_versions: z.array(z.string()),
    version: z.string(),
    "cli-minimal-version": z.string(),
    "cli-requires-python": z.string(),
    "cli-bad-versions": z.array(z.string()),
    services: z.object({ api: ZServiceSchema, webui: ZServiceSchema, jupyterhub: ZServiceSchema }),
  }),
);
