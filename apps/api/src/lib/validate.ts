import type { z } from "zod";
import { ApiError } from "@dandi/core";

function messageFor(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.input === undefined) return "This field is required.";
  if (issue.code === "invalid_type" && issue.input === null) return "This field may not be null.";
  return issue.message;
}

/**
 * Parses input with a zod schema; failures become DRF-style 400 bodies:
 * {"field": ["message", ...]} (nested paths joined with "."), or ["message"] for
 * errors that belong to no field.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  // reportInput: without it zod leaves issue.input unset, and every wrong type would read "required".
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const fields: Record<string, string[]> = {};
  const general: string[] = [];
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".");
    if (key === "") general.push(messageFor(issue));
    else (fields[key] ??= []).push(messageFor(issue));
  }
  if (Object.keys(fields).length === 0) throw ApiError.list(general);
  if (general.length) fields.non_field_errors = general;
  throw ApiError.fields(fields);
}

/** DRF BooleanField's TRUE_VALUES and FALSE_VALUES (as strings; matching is case-sensitive). */
const DRF_TRUE = new Set(["t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1"]);
const DRF_FALSE = new Set(["f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0"]);

/** DRF BooleanField parsing of a query parameter; undefined when absent. */
export function parseQueryBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  const v = String(value);
  if (DRF_TRUE.has(v)) return true;
  if (DRF_FALSE.has(v)) return false;
  throw ApiError.fields({ [name]: ["Must be a valid boolean."] });
}
