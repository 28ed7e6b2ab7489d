declare module "virtual:published-dandiset-validator" {
  import type { TAjvError } from "@dandi/shared";

  /** ajv's standalone validator of the server's PublishedDandiset schema (null when built without schemas). */
  export const validate: (((data: unknown) => boolean) & { errors?: TAjvError[] | null }) | null;
  export const schemaVersion: string | null;
  export const schemaDigest: string | null;
}
