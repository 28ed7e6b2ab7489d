import { describe, expect, it } from "vitest";
import { DANDISET_SCHEMA as root } from "../test/dandiset-schema.fixture";
import { defaultValue, pickVariant, resolveSchema, schemaVariants, validateValue } from "./json-schema";

const valid = {
  name: "A",
  description: "B",
  license: ["spdx:CC0-1.0"],
  contributor: [{ schemaKey: "Person", name: "Doe, Jane" }],
};

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

  it("accepts valid metadata and skips read-only fields", () => {
    expect(validateValue(valid, root, root)).toEqual([]);
  });

  it("reports each problem with its path", () => {
    const errors = validateValue(
      {
        ...valid,
        name: "x".repeat(151),
        license: ["spdx:MIT"],
        contributor: [{ schemaKey: "Person", name: "", email: "nope", identifier: "123" }],
        url: "not a url",
      },
      root,
      root,
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: "/name", message: "must have at most 150 characters" },
        { path: "/license/0", message: "must be one of spdx:CC-BY-4.0, spdx:CC0-1.0" },
        { path: "/contributor/0/name", message: "is required" },
        { path: "/contributor/0/email", message: "must be a valid email" },
        { path: "/contributor/0/identifier", message: expect.stringContaining("does not match the pattern") },
      ]),
    );
    expect(validateValue({ ...valid, contributor: [] }, root, root)).toEqual([
      { path: "/contributor", message: "must have at least 1 item" },
    ]);
    expect(validateValue({ description: "d" }, root, root).map((e) => e.path)).toEqual(
      expect.arrayContaining(["/name", "/contributor", "/license"]),
    );
  });
});
