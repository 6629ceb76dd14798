// Vite build for photomap's UI. base "./" keeps every asset URL relative, so the app works under
// any URL prefix; chunks import each other relative to the entry module. The page's own entry
// references are then written as "%PHOTOMAP_ASSET_BASE%assets/…": the C++ server replaces that
// placeholder with its versioned immutable path static/<version>/ (src/http/ui_routes.cpp; it
// also rewrites plain "./assets/" references the same way, so either form ends up identical).
import { defineConfig, type Plugin } from "vite";

const assetBasePlaceholder: Plugin = {
  name: "photomap-asset-base",
  apply: "build",
  transformIndexHtml: {
    order: "post",
    handler: (html) => html.replaceAll('"./assets/', '"%PHOTOMAP_ASSET_BASE%assets/'),
  },
};

export default defineConfig({
  base: "./",
  plugins: [assetBasePlaceholder],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
} as Parameters<typeof defineConfig>[0]);
