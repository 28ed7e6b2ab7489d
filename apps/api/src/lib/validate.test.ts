import { describe, expect, it } from "vitest";
import { ApiError } from "@dandi/core";
import { parseQueryBoolean } from "./validate";

describe("parseQueryBoolean", () => {
  it("accepts exactly DRF BooleanField's spellings", () => {
    for (const v of ["t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1"]) {
      expect(parseQueryBoolean(v, "x")).toBe(true);
    }
    for (const v of ["f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0"]) {
      expect(parseQueryBoolean(v, "x")).toBe(false);
    }
    expect(parseQueryBoolean(undefined, "x")).toBeUndefined();
  });

  it("answers {name: ['Must be a valid boolean.']} for anything else, as DRF", () => {
    for (const v of ["TrUe", "fALSE", "", "2", "maybe", ["true", "false"]]) {
      let error: unknown;
      try {
        parseQueryBoolean(v, "draft");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
      expect((error as ApiError).body).toEqual({ draft: ["Must be a valid boolean."] });
    }
  });
});
