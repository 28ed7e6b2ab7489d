import { defineConfig } from "tsup";

// Bundles the API and its workspace packages into dist/; npm dependencies stay external.
export default defineConfig({
  entry: ["src/server.ts"],
  format: ["esm"],
  platform: "node",
  target: "node20",
  sourcemap: true,
  clean: true,
  noExternal: [/^@dandi\//],
});
