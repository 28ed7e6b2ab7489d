import { defineConfig } from "tsup";

// Bundles the worker and its workspace packages into dist/; npm dependencies stay external.
export default defineConfig({
  entry: ["src/main.ts"],
  format: ["esm"],
  platform: "node",
  target: "node20",
  sourcemap: true,
  clean: true,
  noExternal: [/^@dandi\//],
});
