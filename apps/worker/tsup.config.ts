import { defineConfig } from "tsup";
import { workspaceBundlePlugin } from "../../scripts/lib/bundle-plugins";

// Bundles the worker and its workspace packages into dist/; npm dependencies stay external.
export default defineConfig({
  entry: ["src/main.ts"],
  format: ["esm"],
  platform: "node",
  target: "node20",
  sourcemap: true,
  clean: true,
  // Each lazily imported job handler becomes its own chunk, loaded on the job's first run.
  splitting: true,
  noExternal: [/^@dandi\//],
  // npm packages that only workspace packages depend on (argon2, the Prisma adapter) stay external too.
  esbuildPlugins: [workspaceBundlePlugin(import.meta.dirname)],
});
