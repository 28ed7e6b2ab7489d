import { describe, expect, it } from "vitest";
import { DANDISET_SCHEMA as root } from "../test/dandiset-schema.fixture";
import { defaultValue, pickVariant, resolveSchema, schemaVariants } from "./json-schema";

describe("json-schema", () => {
  it("resolves $ref and keeps the referring node's annotations", () => {
    expect(resolveSchema({ $ref: "#/$defs/LicenseType", title: "Mine" }, root)).toMatchObject({
      enum: ["spdx:CC-BY-4.0", "spdx:CC0-1.0"],
      title: "Mine",
    });
  });

  it("picks oneOf alternatives by schemaKey", () => {
    const variants = schemaVariants(root.properties!.contributor!.items!, root);
    expect(variants.map((v) => v.title)).toEqual(["Person", "Organization"]);
    expect(pickVariant({ schemaKey: "Organization" }, variants)).toBe(1);
  });

  it("creates defaults with consts and required fields", () => {
    expect(defaultValue(root.properties!.contributor!.items!, root)).toEqual({
      schemaKey: "Person",
      name: "",
    });
  });
});
