// Browser end-to-end suite: the real photomap server (PHOTOMAP_BIN, default
// build/asan/src/app/photomap) on a temporary config, Debian's chromium through playwright-core.
// Prints "ok - …" / "not ok - …" per test and a final "e2e: N passed, M failed" line.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Runner, assert, copyPhotos, launchBrowser, makeTempDir, startServer, watchConsole } from "./harness.mjs";
import { featureTests } from "./features.mjs";
import { fileTests } from "./files.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const bin = resolve(repo, process.env.PHOTOMAP_BIN ?? "build/asan/src/app/photomap");
const webRoot = resolve(here, "..", "dist");
const shots = process.env.PHOTOMAP_SCREENSHOTS ?? "/tmp";
const INDEX_WAIT_MS = Number(process.env.PHOTOMAP_E2E_INDEX_WAIT_MS ?? 90000);
const FIXTURE_MODEL = process.env.PHOTOMAP_E2E_MODEL ?? "/work/shared/fixtures/clip/e2e_clip";

if (!existsSync(bin)) {
  console.log(`not ok - photomap binary not found at ${bin} (set PHOTOMAP_BIN)`);
  console.log("e2e: 0 passed, 1 failed");
  process.exit(1);
}
if (!existsSync(join(webRoot, "index.html"))) {
  console.log(`not ok - no built UI at ${webRoot} (run npm run build)`);
  console.log("e2e: 0 passed, 1 failed");
  process.exit(1);
}

const tmp = makeTempDir("photomap-e2e-");
const photos = join(tmp, "My Photos");
const nPhotos = copyPhotos(["/work/shared/photos/real", join(repo, "demo", "photos")], photos, 40);
const t = new Runner();
let server;
let browser;
try {
  server = await startServer(bin, join(tmp, "config.yaml"), webRoot);
  browser = await launchBrowser();
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(8000);
  // A 404 is how the API says "no index yet"; anything else logged as an error fails the run.
  // A 409 is the answer to "start" while a cancelled job is still winding down (the UI retries).
  // A case that provokes another error reply pushes its own pattern here for its duration only.
  const consoleAllowed = [/Failed to load resource: the server responded with a status of 40[49]/];
  const problems = watchConsole(page, consoleAllowed);
  const api = async (method, path, body) => {
    const r = await fetch(server.url + path, { method, headers: { "Content-Type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, json };
  };
  // Are the index routes served yet? An unknown route is 404 {"detail":"Not Found"}.
  const probe = await api("GET", "index_progress/__no_such_album__");
  const indexRoutes = !(probe.status === 404 && probe.json?.detail === "Not Found");
  console.log(`# server ${server.url}; index routes ${indexRoutes ? "served" : "not served yet"}; ${nPhotos} photos in ${photos}`);

  await t.test("first run opens the album manager in setup mode with the add form", async () => {
    await page.goto(server.url);
    const dialog = page.getByRole("dialog", { name: "Album Management" });
    await dialog.waitFor({ state: "visible", timeout: 10000 });
    await page.getByText("Welcome to photomap!").waitFor({ timeout: 5000 });
    assert(!(await page.getByRole("button", { name: "Close album manager" }).isVisible()), "setup dialog must not be closable");
    const focused = await page.evaluate(() => document.activeElement?.id);
    assert(focused === "album-new-key", `the key field has focus (got ${focused})`);
    await page.keyboard.press("Escape");
    assert(await dialog.isVisible(), "Esc does not close setup mode");
    await page.screenshot({ path: join(shots, "photomap-first-run.png") });
  });

  await t.test("the add form marks missing fields and refuses a bad key", async () => {
    await page.getByRole("button", { name: "Add Album", exact: true }).click();
    await page.getByText("An album key is required.").waitFor({ timeout: 3000 });
    await page.getByText("A display name is required.").waitFor({ timeout: 3000 });
    await page.fill("#album-new-key", "bad key!");
    await page.getByRole("button", { name: "Add Album", exact: true }).click();
    await page.getByText("Use letters, digits").waitFor({ timeout: 3000 });
    const albums = await api("GET", "available_albums/");
    assert(Array.isArray(albums.json) && albums.json.length === 0, "nothing was added");
  });

  await t.test("creating the first album through the UI lists it and starts indexing", async () => {
    await page.fill("#album-new-key", "family");
    await page.fill("#album-new-name", "Family Photos");
    await page.fill("#album-new-description", "A test album");
    await page.fill("#album-new-paths", photos);
    await page.fill("#album-new-minDimension", "64");
    await page.getByRole("button", { name: "Add Album", exact: true }).click();
    const card = page.locator('article.album-card[data-album="family"]');
    await card.waitFor({ timeout: 10000 });
    assert((await card.locator("h3").textContent()) === "Family Photos", "card shows the display name");
    assert((await card.textContent()).includes(`Paths: ${photos}`), "card shows the folder");
    const stored = await api("GET", "album/family/");
    assert(stored.status === 200, `album/family/ → ${stored.status}`);
    assert(stored.json.index === `${photos}/photomap_index/embeddings.npz`, `index path ${stored.json.index}`);
    assert(stored.json.min_image_dimension === 64, "min image size saved");
    if (indexRoutes) {
      await card.locator(".index-progress").waitFor({ state: "visible", timeout: 5000 });
    } else {
      await page.getByText("Indexing is not available on this server yet").waitFor({ timeout: 5000 });
    }
    await page.screenshot({ path: join(shots, "photomap-album-added.png") });
  });

  // The tiny CLIP fixture (real architecture, random weights) makes indexing fast and offline.
  const localEncoder = `local:${FIXTURE_MODEL}`;
  const waitIdle = async (key, ms) => {
    const t0 = Date.now();
    let p = null;
    while (Date.now() - t0 < ms) {
      p = (await api("GET", `index_progress/${key}`)).json;
      if (p && !["scanning", "downloading", "indexing", "mapping"].includes(p.status)) return p;
      await new Promise((r) => setTimeout(r, 250));
    }
    return p;
  };

  await t.test("cancel during indexing shows \"Indexing cancelled by user\" at once", async () => {
    if (!indexRoutes) return "skip";
    await waitIdle("family", 30000);
    const patched = await api("POST", "update_album/", { key: "family", encoder_spec: localEncoder });
    assert(patched.status === 200, `update_album → ${patched.status}`);
    const card = page.locator('article.album-card[data-album="family"]');
    await card.locator('[data-role="update-index"]').click();
    const cancel = card.getByRole("button", { name: "Cancel" });
    await cancel.waitFor({ state: "visible", timeout: 10000 });
    await cancel.click();
    await card.getByText("Indexing cancelled by user").waitFor({ timeout: 300 });
    const p = await waitIdle("family", 30000);
    assert(p && p.status === "error" && p.error_message === "Indexing cancelled by user", `server progress after cancel: ${JSON.stringify(p)}`);
  });

  let indexed = false;
  let total = 0;
  await t.test("Update Index shows live progress and runs to completion", async () => {
    if (!indexRoutes) return "skip";
    const card = page.locator('article.album-card[data-album="family"]');
    await waitIdle("family", 30000); // the cancelled job may still be winding down
    await card.locator('[data-role="update-index"]').click();
    await card.locator('.index-progress:not([data-tone="error"])').waitFor({ timeout: 10000 });
    await card.locator('.index-progress[data-tone="done"], .index-progress[data-tone="warning"], .index-progress[data-tone="error"]').waitFor({ timeout: INDEX_WAIT_MS });
    const tone = await card.locator(".index-progress").getAttribute("data-tone");
    const text = await card.locator(".index-progress .progress-text").textContent();
    assert(tone === "done" || tone === "warning", `indexing ended with ${tone}: ${text}`);
    const m = await api("GET", "index_metadata/family");
    total = m.json.filename_count;
    assert(total > 0 && total <= nPhotos, `indexed ${total} of ${nPhotos}`);
    await card.locator(".index-status.ok", { hasText: `(${total} images)` }).waitFor({ timeout: 5000 });
    indexed = true;
  });

  await t.test("after a reload the album list and switcher show the album", async () => {
    await page.reload();
    await page.waitForFunction(() => document.title.startsWith("Family Photos"), null, { timeout: 10000 });
    assert(!(await page.getByRole("dialog", { name: "Album Management" }).isVisible()), "no setup mode once an album exists");
    await page.getByRole("button", { name: "Manage albums" }).click();
    const card = page.locator('article.album-card[data-album="family"]');
    await card.waitFor({ timeout: 5000 });
    assert((await card.textContent()).includes("Key: family"), "key shown");
    await card.locator(".index-status").filter({ hasNotText: "Checking index" }).waitFor({ timeout: 5000 });
    await page.screenshot({ path: join(shots, "photomap-album-manager.png") });
  });

  await t.test("editing an album renames it everywhere", async () => {
    await api("POST", "add_album/", { key: "second", name: "Second", image_paths: [photos], index: `${tmp}/second/embeddings.npz` });
    await page.getByRole("button", { name: "Close album manager" }).click();
    await page.getByRole("button", { name: "Manage albums" }).click();
    const card = page.locator('article.album-card[data-album="second"]');
    await card.getByRole("button", { name: "Edit" }).click();
    await page.fill("#album-second-name", "Second Album");
    await card.getByRole("button", { name: "Save Changes" }).click();
    await card.locator("h3", { hasText: "Second Album" }).waitFor({ timeout: 5000 });
    const options = await page.locator("#album-select option").allTextContents();
    assert(options.includes("Second Album") && options.includes("Family Photos"), `switcher options ${options}`);
    assert((await api("GET", "album/second/")).json.name === "Second Album", "server has the new name");
  });

  await t.test("deleting an album asks first and removes its card", async () => {
    page.once("dialog", (d) => d.accept());
    const card = page.locator('article.album-card[data-album="second"]');
    await card.getByRole("button", { name: "Delete" }).click();
    await card.waitFor({ state: "detached", timeout: 5000 });
    assert((await api("GET", "album/second/")).status === 404, "album deleted on the server");
    await page.keyboard.press("Escape");
    await page.getByRole("dialog", { name: "Album Management" }).waitFor({ state: "hidden", timeout: 3000 });
  });

  await t.test("the indexed album opens at its first image", async () => {
    if (!indexed) return "skip";
    await page.reload();
    await page.locator(".pill", { hasText: `1/${total}` }).waitFor({ timeout: 10000 });
    await page.locator(".slide-img[src]").waitFor({ timeout: 10000 });
    await page.waitForFunction(() => { const i = document.querySelector(".slide-img"); return i && i.complete && i.naturalWidth > 0; }, null, { timeout: 20000 });
    await page.screenshot({ path: join(shots, "photomap-desktop.png") });
  });

  await t.test("keyboard navigation moves through the album with wrap-around", async () => {
    if (!indexed) return "skip";
    const src0 = await page.locator(".slide-img").getAttribute("src");
    await page.keyboard.press("ArrowRight");
    await page.locator(".pill", { hasText: `2/${total}` }).waitFor({ timeout: 3000 });
    await page.waitForFunction((s) => document.querySelector(".slide-img")?.getAttribute("src") !== s, src0, { timeout: 5000 });
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await page.locator(".pill", { hasText: `${total}/${total}` }).waitFor({ timeout: 3000 });
    await page.mouse.move(640, 400);
    await page.mouse.wheel(0, 120);
    await page.locator(".pill", { hasText: `1/${total}` }).waitFor({ timeout: 3000 });
  });

  await t.test("the slideshow advances at the set interval and Space pauses it", async () => {
    if (!indexed) return "skip";
    await page.getByRole("button", { name: "Settings", exact: true }).click();
    await page.fill("#set-delay", "1");
    await page.locator("#set-delay").dispatchEvent("change");
    await page.keyboard.press("Escape");
    const before = await page.locator(".pill").textContent();
    await page.keyboard.press(" ");
    await page.getByRole("button", { name: "Pause slideshow" }).waitFor({ timeout: 2000 });
    await page.waitForFunction((b) => document.querySelector(".pill")?.textContent !== b, before, { timeout: 4000 });
    await page.keyboard.press(" ");
    await page.getByRole("button", { name: "Play slideshow" }).waitFor({ timeout: 2000 });
    const stopped = await page.locator(".pill").textContent();
    await page.waitForTimeout(1500);
    assert((await page.locator(".pill").textContent()) === stopped, "paused slideshow does not advance");
  });

  await t.test("grid view opens with lazily loaded thumbnails", async () => {
    if (!indexed) return "skip";
    await page.keyboard.press("g");
    await page.locator(".grid .tile").first().waitFor({ timeout: 5000 });
    const n = await page.locator(".grid .tile").count();
    assert(n > 0 && n <= total, `tiles ${n} of ${total}`);
    await page.waitForFunction(() => [...document.querySelectorAll(".grid .tile img")].every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 20000 });
    await page.screenshot({ path: join(shots, "photomap-grid.png") });
    await page.keyboard.press("g");
  });

  await t.test("the metadata drawer opens with i and closes with Esc", async () => {
    if (!indexed) return "skip";
    await page.keyboard.press("i");
    const drawer = page.getByRole("complementary", { name: "Image details" });
    await drawer.waitFor({ timeout: 3000 });
    await drawer.locator(".filename").waitFor({ timeout: 5000 });
    await drawer.getByText("View metadata (JSON)").waitFor({ timeout: 5000 });
    await page.keyboard.press("Escape");
    await drawer.waitFor({ state: "hidden", timeout: 3000 });
  });

  await t.test("the semantic map window opens with m (or says why there is no map) and closes", async () => {
    await page.keyboard.press("m");
    const win = page.getByRole("dialog", { name: "Semantic map" });
    await win.waitFor({ timeout: 3000 });
    const umap = await api("GET", "umap_data/family");
    if (umap.status === 200 && Array.isArray(umap.json) && umap.json.length) {
      await page.waitForFunction(() => !document.querySelector(".map-status")?.textContent, null, { timeout: 15000 });
    } else {
      await win.locator(".map-status", { hasText: /No semantic map|cannot be loaded/ }).waitFor({ timeout: 10000 });
    }
    await page.screenshot({ path: join(shots, "photomap-map.png") });
    await page.keyboard.press("m");
    await win.waitFor({ state: "hidden", timeout: 3000 });
  });

  await t.test("the help overlay lists the shortcuts", async () => {
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor({ timeout: 3000 });
    assert((await help.textContent()).includes("Toggle grid view"), "grid shortcut listed");
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "hidden", timeout: 3000 });
  });

  await t.test("the search panel opens, and a search without a usable index fails softly", async () => {
    await page.keyboard.press("/");
    const panel = page.getByRole("dialog", { name: "Search" });
    await panel.waitFor({ timeout: 3000 });
    const focused = await page.evaluate(() => document.activeElement?.id);
    assert(focused === "search-text", `text field focused (got ${focused})`);
    await page.fill("#search-text", "a cat");
    await page.keyboard.press("Enter");
    if (indexed) {
      // The fixture model has random weights: a text query may or may not pass the min score.
      await page.locator(".pill", { hasText: "score=" }).or(panel.getByText("No images match your search.")).first().waitFor({ timeout: 30000 });
      if (await panel.isVisible()) await page.keyboard.press("Escape");
      await panel.waitFor({ state: "hidden", timeout: 3000 });
      // Image search with one of the album's photos: that photo comes back first.
      const query = readdirSync(photos).sort()[3];
      await page.keyboard.press("/");
      await page.fill("#search-text", "");
      await page.fill("#search-min-score", "0");
      await page.setInputFiles('.search-panel input[type="file"]', join(photos, query));
      await page.locator(".drop-preview[src]").waitFor({ timeout: 5000 });
      await panel.getByRole("button", { name: "Search", exact: true }).click();
      await page.locator(".pill", { hasText: "image search" }).waitFor({ timeout: 30000 });
      await page.locator(".slide-caption", { hasText: query }).waitFor({ timeout: 10000 });
      const pill = await page.locator(".pill").textContent();
      assert(/1\/\d+ \(score=/.test(pill), `pill ${pill}`);
      await page.screenshot({ path: join(shots, "photomap-search.png") });
      await page.getByRole("button", { name: "Clear search" }).click();
      await page.locator(".pill", { hasNotText: "score=" }).waitFor({ timeout: 3000 });
      return;
    } else {
      await page.locator(".toast-error, .search-message").filter({ hasText: /Search failed|No images/ }).first().waitFor({ timeout: 10000 });
      await page.keyboard.press("Escape");
    }
    await panel.waitFor({ state: "hidden", timeout: 3000 });
  });

  await featureTests(t, { page, api, photos, shots, indexed: () => indexed, getTotal: () => total, tmp, encoder: localEncoder });
  await fileTests(t, { page, api, photos, shots, indexed: () => indexed, tmp, consoleAllowed });

  await t.test("phone-sized viewport keeps every control on screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    // Toasts left by earlier cases would cover the screenshots.
    for (const close of await page.locator(".toast-close").all()) await close.click();
    await page.waitForTimeout(200);
    for (const name of ["Settings", "Manage albums", "Grid view", "Play slideshow", "Search"]) {
      const box = await page.locator(".toolbar").getByRole("button", { name, exact: true }).boundingBox();
      assert(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844, `${name} on screen: ${JSON.stringify(box)}`);
    }
    await page.screenshot({ path: join(shots, "photomap-phone.png") });
    await page.getByRole("button", { name: "Manage albums" }).click();
    const dialog = page.getByRole("dialog", { name: "Album Management" });
    const box = await dialog.boundingBox();
    assert(box && box.width <= 390, `manager fits the phone: ${JSON.stringify(box)}`);
    await page.screenshot({ path: join(shots, "photomap-phone-manager.png") });
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await t.test("no console errors or uncaught exceptions during the run", async () => {
    assert(problems.length === 0, problems.join("\n"));
  });
} catch (e) {
  t.failed++;
  console.log(`not ok - e2e setup: ${e?.stack ?? e}`);
} finally {
  await browser?.close().catch(() => undefined);
  const code = await server?.stop();
  // Clean shutdown is the HTTP suite's business (tests/http); here it is only reported.
  if (server && code !== 0) console.log(`# warning: server did not exit 0 on SIGTERM: ${server.log().split("\n").filter((l) => l.startsWith("[e2e]")).join(" ")}`);
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`e2e: ${t.passed} passed, ${t.failed} failed${t.skipped ? ` (${t.skipped} skipped)` : ""}`);
process.exit(t.failed ? 1 : 0);
