import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";
import pluginVue from "eslint-plugin-vue";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "packages/db/generated/**",
      "schemas/**",
      "var/**",
      "**/.turbo/**",
      "artifacts/**",
      // The Python venv of the schema generator and the CLI tests (site-packages ship .js files).
      ".venv/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...pluginVue.configs["flat/recommended"],
  {
    // <script lang="ts"> in single-file components: vue-eslint-parser hands the script to typescript-eslint.
    files: ["**/*.vue"],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: [".vue"] } },
    // TypeScript checks undefined names (as typescript-eslint advises for .ts files); no-undef knows no browser globals.
    rules: { "no-undef": "off" },
  },
  {
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  prettier,
);
