import { defineConfig } from "tsup";
import { workspaceBundlePlugin } from "../../scripts/lib/bundle-plugins";

// Bundles the API and its workspace packages into dist/; npm dependencies stay external.
export default defineConfig({
  // server.js is the web process; manage.js the management CLI (scripts/manage.mjs runs it when tsx is absent).
  entry: { server: "src/server.ts", manage: "src/manage/main.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  sourcemap: true,
  clean: true,
  noExternal: [/^@dandi\//],
  esbuildPlugins: [workspaceBundlePlugin(import.meta.dirname)],
});
