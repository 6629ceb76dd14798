// UI benchmark in headless chromium (software WebGL: SwiftShader, no GPU): frame times while
// panning/zooming the semantic map with 100,000 synthetic points, and while scrolling the grid
// over 100,000 items. Prints JSON lines {"name","value","unit"} like bench/ binaries.
import { existsSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser, startServer } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const bin = resolve(repo, process.env.PHOTOMAP_BIN ?? "build/asan/src/app/photomap");
if (!existsSync(bin)) throw new Error(`no photomap binary at ${bin}`);
const tmp = mkdtempSync(join(tmpdir(), "photomap-bench-"));
const server = await startServer(bin, join(tmp, "config.yaml"), resolve(here, "..", "dist"));
const browser = await launchBrowser();
try {
  const page = browser.context.pages()[0];
  await page.route(/thumbnails\//, (r) => r.fulfill({ status: 200, contentType: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>' }));
  await page.goto(server.url);
  await page.waitForFunction(() => window.photomapApp);
  const n = Number(process.env.BENCH_POINTS ?? 100000);
  const map = await page.evaluate((n) => window.photomapApp.map.bench(n, 4000), n);
  const gl = await page.evaluate(() => { const c = document.createElement("canvas").getContext("webgl"); const d = c && c.getExtension("WEBGL_debug_renderer_info"); return d ? c.getParameter(d.UNMASKED_RENDERER_WEBGL) : "none"; });
  console.log(JSON.stringify({ name: "ui_map_pan_frame_median_100k", value: map.medianMs, unit: "ms", frames: map.frames, p95: map.p95Ms, renderer: gl }));
  const grid = await page.evaluate(async (n) => {
    const app = window.photomapApp;
    app.map.close();
    app.manager.el.hidden = true;
    app.store.album = { key: "bench", name: "bench", description: "", index: "", image_paths: [] };
    app.grid.album = "bench";
    app.store.total = n;
    app.store.results = null;
    app.store.pos = 0;
    app.store.emit("album");
    app.store.setView("grid");
    const el = app.grid.el;
    const times = [];
    let maxTiles = 0;
    await new Promise((resolve) => {
      const t0 = performance.now();
      let last = t0;
      const frame = (t) => {
        times.push(t - last);
        last = t;
        el.scrollTop = ((t - t0) / 4000) * (el.scrollHeight - el.clientHeight);
        maxTiles = Math.max(maxTiles, app.grid.renderedTiles);
        if (t - t0 < 4000) requestAnimationFrame(frame);
        else resolve();
      };
      requestAnimationFrame(frame);
    });
    times.shift();
    times.sort((a, b) => a - b);
    return { frames: times.length, median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)], maxTiles };
  }, n);
  console.log(JSON.stringify({ name: "ui_grid_scroll_frame_median_100k", value: grid.median, unit: "ms", frames: grid.frames, p95: grid.p95, max_tiles_in_dom: grid.maxTiles }));
} finally {
  await browser.close();
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
}
