import { defineConfig } from "vitest/config";
import vue from "@vitejs/plugin-vue";

export default defineConfig({
  plugins: [vue()],
  server: { port: 8085 },
  preview: { port: 8085 },
  build: {
    target: "es2022",
    // Route views are lazy chunks; the UI library is split so the first page only loads what it renders.
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.ts"],
  },
});
