import { ensureTemplateDatabase } from "@dandi/testing";

/** Builds the migrated template database once per run, before any test file starts. */
export default async function setup(): Promise<void> {
  await ensureTemplateDatabase();
}
