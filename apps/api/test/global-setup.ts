import { ensureTemplateDatabase } from "@dandi/testing";

/** Builds the migrated template database once per run, before any worker starts. */
export default async function setup(): Promise<void> {
  await ensureTemplateDatabase();
}
