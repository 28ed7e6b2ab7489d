import type { ParseArgsConfig } from "node:util";
import type { PrismaClient } from "@dandi/db";
import type { TConfig } from "@dandi/core";

/** Parsed command-line options, as node:util parseArgs returns them. */
export type TOptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface ManageContext {
  config: TConfig;
  prisma: PrismaClient;
  /** Writes one line to stdout (scripts parse some of these lines). */
  print: (line: string) => void;
}

export interface ManageCommand {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  run: (values: TOptionValues, ctx: ManageContext) => Promise<void>;
}

/** A required string option, or a clear error naming it. */
export function requireOption(values: TOptionValues, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new Error(`--${name} is required`);
  return value.trim();
}
