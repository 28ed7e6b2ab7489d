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

/** DRF BooleanField parsing of a query parameter; undefined when absent. */
export function parseQueryBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  const v = String(value).toLowerCase();
  if (["true", "1", "yes", "on"].includes(v)) return true;
  if (["false", "0", "no", "off"].includes(v)) return false;
  throw ApiError.fields({ [name]: ["Must be a valid boolean."] });
}
