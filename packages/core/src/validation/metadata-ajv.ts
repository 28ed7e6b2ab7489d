import type { Ajv2020, Options } from "ajv/dist/2020.js";
import type { FormatsPlugin } from "ajv-formats";

/**
 * The one ajv set-up metadata is validated with: the API and worker compile
 * schemas with it at run time (schemas.ts), and the web app's build compiles
 * the PublishedDandiset schema with it into standalone code for the metadata
 * editor (apps/web/vite-plugins/metadata-validator.ts), because the web app's
 * Content-Security-Policy forbids the `new Function` ajv compiles with.
 * The caller passes its ajv and ajv-formats (the web build resolves its own
 * copies, without installing this package's dependencies).
 */
export const METADATA_AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: true } as const;

export function createMetadataAjv(Ajv: typeof Ajv2020, addFormats: FormatsPlugin, extra: Options = {}): Ajv2020 {
  const ajv = new Ajv({ ...METADATA_AJV_OPTIONS, ...extra });
  addFormats(ajv);
  return ajv;
}
