import { spawnSync } from "node:child_process";
import { REPO_ROOT } from "@dandi/core";
import type { ManageCommand } from "./manage-command";

/** Applies pending migrations with `prisma migrate deploy` (the Heroku release step). */
export const migrateCommand: ManageCommand = {
  summary: "Apply database migrations (prisma migrate deploy)",
  usage: "",
  options: {},
  async run(_values, { config }) {
    const result = spawnSync("pnpm", ["--filter", "@dandi/db", "run", "migrate:deploy"], {
      cwd: REPO_ROOT,
      // The Prisma CLI reads DATABASE_URL itself; hand it the validated value.
      env: { ...process.env, DATABASE_URL: config.DATABASE_URL },
      stdio: "inherit",
    });
    if (result.error) throw new Error(`cannot run pnpm: ${result.error.message}`);
    if (result.status !== 0) throw new Error(`prisma migrate deploy exited with ${result.status}`);
  },
};
