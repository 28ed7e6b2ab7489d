import { defineConfig, loadEnv, type Plugin } from "vite";
import vue from "@vitejs/plugin-vue";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { metadataValidator } from "./vite-plugins/metadata-validator";

/** The schemas the API and worker load (DANDI_SCHEMA_DIR, by default the repository's `schemas/`). */
const SCHEMA_DIR =
  process.env.DANDI_SCHEMA_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../schemas");

/**
 * Writes Netlify's `_redirects` with the `/server-info` proxy (the dandi CLI's
 * instance discovery) pointing at this build's API: netlify.toml cannot read
 * VITE_API_URL, the build can.
 */
function netlifyServerInfo(apiUrl: string): Plugin {
  return {
    name: "dandi-netlify-server-info",
    apply: "build",
    generateBundle() {
      this.emitFile({
        type: "asset",
        fileName: "_redirects",
        source: `/server-info  ${apiUrl}/api/info/?format=json  200\n`,
      });
    },
  };
}

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), "VITE_");
  const apiUrl = (env.VITE_API_URL || "http://localhost:8000").replace(/\/+$/, "");
  return {
    // VITE_API_URL=/ (the API on the app's own origin): the proxy in front serves /server-info.
    plugins: [
      vue(),
      metadataValidator(SCHEMA_DIR, {
        schemaVersion: process.env.DANDI_SCHEMA_VERSION || undefined,
        schemaUrl: process.env.DANDI_SCHEMA_URL || undefined,
      }),
      ...(env.VITE_API_URL === "/" ? [] : [netlifyServerInfo(apiUrl)]),
    ],
    server: { port: 8085 },
    preview: { port: 8085 },
    build: { target: "es2022" },
    test: {
      environment: "happy-dom",
      include: ["src/**/*.test.ts", "vite-plugins/**/*.test.ts"],
    },
  };
});
