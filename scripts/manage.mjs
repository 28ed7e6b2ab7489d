#!/usr/bin/env node
// Launches the management CLI (apps/api/src/manage): the TypeScript source through
// tsx when the dev dependencies are installed, else the bundle that `pnpm build`
// writes to apps/api/dist/manage.js (Heroku prunes dev dependencies after the build).
// Settings: the environment, then the repository's .env, then (in development) the same defaults
// as `pnpm dev` (scripts/lib/dev-env.mjs), so that a fresh shell reaches the dev database.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { missingSettings } from "./lib/dev-env.mjs";

const root = path.resolve(import.meta.dirname, "..");
const tsx = path.join(root, "apps/api/node_modules/.bin/tsx");
const source = path.join(root, "apps/api/src/manage/main.ts");
const bundle = path.join(root, "apps/api/dist/manage.js");

let command;
if (fs.existsSync(tsx) && fs.existsSync(source)) command = [tsx, source];
else if (fs.existsSync(bundle)) command = [process.execPath, "--enable-source-maps", bundle];
else {
  console.error("manage: neither tsx (run `pnpm install`) nor apps/api/dist/manage.js (run `pnpm build`) is available");
  process.exit(1);
}
const env = { ...process.env, ...missingSettings(process.env, root) };
const result = spawnSync(command[0], [...command.slice(1), ...process.argv.slice(2)], { stdio: "inherit", env });
if (result.error) {
  console.error(`manage: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
