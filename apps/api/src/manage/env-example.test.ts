import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, ZConfigSchema, loadConfig } from "@dandi/core";

const text = fs.readFileSync(path.join(REPO_ROOT, ".env.example"), "utf8");

/** Variables named in .env.example, set or commented out ("# NAME=..."). */
function documentedVariables(): Set<string> {
  return new Set([...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));
}

describe(".env.example", () => {
  it("documents every setting the config schema reads, and nothing else", () => {
    const keys = Object.keys(ZConfigSchema.shape).sort();
    expect([...documentedVariables()].sort()).toEqual(keys);
  });

  it("is a configuration the server accepts as it stands", () => {
    const values = Object.fromEntries(
      [...text.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]),
    );
    expect(() => loadConfig(values)).not.toThrow();
  });
});
