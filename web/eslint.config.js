// ESLint for the web UI (flat config; `npm run lint`, run by scripts/run_web_tests.sh in make test).
// src/ and vite.config.ts: typescript-eslint's type-checked recommended set (tsconfig.json).
// e2e/*.mjs: node scripts whose page.evaluate callbacks run in the browser, so both node and
// browser globals; their types come from e2e/tsconfig.json (allowJs) so the promise rules work.
// Everywhere: no HTML sinks — the UI must never render server-supplied HTML (see src/dom.ts).
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

const htmlSink = "the UI never renders HTML strings: build nodes with src/dom.ts (textContent/setAttribute)";
const noHtmlSinks = {
  "no-restricted-properties": [
    "error",
    { property: "innerHTML", message: htmlSink },
    { property: "outerHTML", message: htmlSink },
    { property: "insertAdjacentHTML", message: htmlSink },
    { property: "setHTMLUnsafe", message: htmlSink },
    { property: "createContextualFragment", message: htmlSink },
    { object: "document", property: "write", message: htmlSink },
    { object: "document", property: "writeln", message: htmlSink },
  ],
};

const promiseRules = {
  "@typescript-eslint/no-floating-promises": "error",
  "@typescript-eslint/no-misused-promises": "error",
  "@typescript-eslint/await-thenable": "error",
};

export default defineConfig([
  globalIgnores(["dist/", "node_modules/"]),
  js.configs.recommended,
  {
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-console": "error",
      ...noHtmlSinks,
    },
  },
  {
    files: ["src/**/*.ts", "vite.config.ts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.browser,
    },
    rules: promiseRules,
  },
  {
    // Unit tests fake fetch and host callbacks with async functions that have nothing to await.
    files: ["src/**/*.test.ts"],
    rules: { "@typescript-eslint/require-await": "off" },
  },
  {
    files: ["e2e/**/*.mjs"],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      ...promiseRules,
      "no-console": "off", // CLI test runners: their output is the report.
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { globals: globals.node },
  },
]);
