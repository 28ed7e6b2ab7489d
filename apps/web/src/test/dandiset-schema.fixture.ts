import type { TSchema } from "../utils/json-schema";

/** A cut-down Dandiset schema in the shape pydantic writes (same keywords as DANDI's). */
export const DANDISET_SCHEMA: TSchema = {
  title: "Dandiset",
  type: "object",
  required: ["name", "description", "contributor", "license", "id"],
  properties: {
    id: { type: "string", readOnly: true, title: "ID" },
    schemaKey: { const: "Dandiset", default: "Dandiset", type: "string", title: "Schema Key" },
    name: { type: "string", maxLength: 150, title: "Dandiset title" },
    description: { type: "string", maxLength: 10000, title: "Description" },
    contributor: {
      type: "array",
      minItems: 1,
      title: "Dandiset contributors",
      items: {
        discriminator: {
          propertyName: "schemaKey",
          mapping: { Person: "#/$defs/Person", Organization: "#/$defs/Organization" },
        },
        oneOf: [{ $ref: "#/$defs/Person" }, { $ref: "#/$defs/Organization" }],
      },
    },
    license: { type: "array", minItems: 1, title: "License", items: { $ref: "#/$defs/LicenseType" } },
    keywords: { type: "array", default: null, title: "Keywords", items: { type: "string" } },
    url: { type: "string", format: "uri", default: null, title: "URL", anyOf: [{ type: "string" }, { type: "null" }] },
  },
  $defs: {
    LicenseType: { enum: ["spdx:CC-BY-4.0", "spdx:CC0-1.0"], title: "LicenseType", type: "string" },
    Person: {
      type: "object",
      title: "Person",
      required: ["name", "schemaKey"],
      properties: {
        schemaKey: { const: "Person", default: "Person", type: "string" },
        name: { type: "string", title: "Name" },
        email: { type: "string", format: "email", default: null, title: "Email" },
        identifier: {
          type: "string",
          pattern: "^\\d{4}-\\d{4}-\\d{4}-(\\d{3}X|\\d{4})$",
          default: null,
          title: "ORCID",
        },
        includeInCitation: { type: "boolean", default: true, title: "Include contributor in citation" },
      },
    },
    Organization: {
      type: "object",
      title: "Organization",
      required: ["name", "schemaKey"],
      properties: {
        schemaKey: { const: "Organization", default: "Organization", type: "string" },
        name: { type: "string", title: "Name" },
      },
    },
  },
};
