// Browser e2e cases for the browsing features on an indexed album: bookmarks (toggle with b,
// browse, persistence across a reload, clear), the seek slider and the back stack, the map's
// cluster labels (or the note that the server has none), one dot per photo with a hover
// thumbnail and click-to-open, and deleting an image of the temporary album copy. Called by
// run.mjs with its runner and page; every case skips without an index.
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { assert } from "./harness.mjs";

const pillText = (page) => page.locator(".pill").textContent();

export async function featureTests(t, { page, api, photos, shots, indexed, getTotal, tmp, encoder }) {
  await t.test("b bookmarks the image, the bookmarks browse as a list and survive a reload", async () => {
    if (!indexed()) return "skip";
    const total = getTotal();
    await page.keyboard.press("Home");
    await page.locator(".pill", { hasText: `1/${total}` }).waitFor({ timeout: 3000 });
    const star = page.locator(".star-btn");
    assert((await star.getAttribute("aria-pressed")) === "false", "first image starts unbookmarked");
    await page.keyboard.press("b");
    await page.locator('.star-btn[aria-pressed="true"]').waitFor({ timeout: 2000 });
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.locator(".pill", { hasText: `3/${total}` }).waitFor({ timeout: 3000 });
    await star.click();
    await page.locator('.star-btn[aria-pressed="true"]').waitFor({ timeout: 2000 });
    const stored = await page.evaluate(() => localStorage.getItem("photomap_bookmarks_family"));
    assert(stored === "[0,2]", `localStorage photomap_bookmarks_family = ${stored}`);
    await page.reload();
    await page.locator(".pill", { hasText: `1/${total}` }).waitFor({ timeout: 10000 });
    await page.locator('.star-btn[aria-pressed="true"]').waitFor({ timeout: 3000 });
    const menuBtn = page.getByRole("button", { name: "Bookmarks", exact: true });
    assert((await menuBtn.getAttribute("title")) === "Bookmarks (2)", `button title ${await menuBtn.getAttribute("title")}`);
    await menuBtn.click();
    const menu = page.getByRole("menu", { name: "Bookmarks menu" });
    await menu.getByText("Bookmarks (2)").waitFor({ timeout: 2000 });
    await menu.getByRole("menuitem", { name: "Show bookmarks" }).click();
    await page.locator(".pill", { hasText: "Bookmarks · 1/2" }).waitFor({ timeout: 3000 });
    await page.keyboard.press("ArrowRight");
    await page.locator(".pill", { hasText: "Bookmarks · 2/2" }).waitFor({ timeout: 3000 });
    const idx = await page.locator(".slide-img").getAttribute("data-index");
    assert(idx === "2", `second bookmark shows album index 2 (got ${idx})`);
    await page.screenshot({ path: join(shots, "photomap-bookmarks.png") });
    await menuBtn.click();
    await menu.getByRole("menuitem", { name: "Hide bookmarks" }).click();
    await page.locator(".pill", { hasText: `3/${total}` }).waitFor({ timeout: 3000 });
    page.once("dialog", (d) => d.accept());
    await menuBtn.click();
    await menu.getByRole("menuitem", { name: "Clear bookmarks" }).click();
    await page.waitForFunction(() => localStorage.getItem("photomap_bookmarks_family") === null, null, { timeout: 3000 });
    assert((await menuBtn.getAttribute("title")) === "Bookmarks (0)", "cleared");
    // Grid tiles carry their own star.
    await page.keyboard.press("g");
    const tileStar = page.locator('.grid .tile[data-index="0"] .tile-star');
    await tileStar.click();
    await page.locator('.grid .tile[data-index="0"] .tile-star[aria-pressed="true"]').waitFor({ timeout: 2000 });
    assert((await page.evaluate(() => localStorage.getItem("photomap_bookmarks_family"))) === "[0]", "tile star bookmarks index 0");
    await tileStar.click();
    await page.waitForFunction(() => localStorage.getItem("photomap_bookmarks_family") === null, null, { timeout: 2000 });
    await page.keyboard.press("g");
    await page.locator(".grid").waitFor({ state: "hidden", timeout: 2000 });
  });

  await t.test("the seek slider jumps, browser Back/Forward move between jumps, the Back flyout and Backspace go back", async () => {
    if (!indexed()) return "skip";
    const total = getTotal();
    await page.keyboard.press("Home");
    await page.locator(".pill", { hasText: `1/${total}` }).waitFor({ timeout: 3000 });
    await page.locator(".pill").click();
    const range = page.locator(".seek-range");
    await range.waitFor({ timeout: 3000 });
    await page.locator(".seek-title", { hasText: "Date" }).waitFor({ timeout: 5000 });
    const ticks = await page.locator(".seek-tick").allTextContents();
    assert(ticks.length === Math.min(10, total) && ticks.every((x) => /^\d\d\/\d{4}$/.test(x)), `date ticks ${ticks}`);
    const target = Math.min(total - 1, 5);
    await range.fill(String(target));
    await page.locator(".pill", { hasText: `${target + 1}/${total}` }).waitFor({ timeout: 3000 });
    // The jump is a browser history entry too: Back returns from it, Forward goes to it again.
    await page.goBack();
    await page.locator(".pill", { hasText: `1/${total}` }).waitFor({ timeout: 3000 });
    await page.goForward();
    await page.locator(".pill", { hasText: `${target + 1}/${total}` }).waitFor({ timeout: 3000 });
    await page.mouse.move(640, 500);
    await page.locator("body").click({ position: { x: 640, y: 500 } }).catch(() => undefined);
    // Right-click on Back: the recent positions; picking one jumps there (and is itself a jump).
    await page.getByRole("button", { name: "Back", exact: true }).click({ button: "right" });
    const flyout = page.getByRole("menu", { name: "Recent positions" });
    await flyout.waitFor({ timeout: 2000 });
    assert((await flyout.locator(".flyout-item").count()) === 1, "one recent position");
    await flyout.locator('.flyout-item[data-index="0"]').click();
    await page.locator(".pill", { hasText: `1/${total}` }).waitFor({ timeout: 3000 });
    await flyout.waitFor({ state: "hidden", timeout: 2000 });
    await page.keyboard.press("Backspace");
    await page.locator(".pill", { hasText: `${target + 1}/${total}` }).waitFor({ timeout: 3000 });
    await page.keyboard.press("Backspace");
    await page.locator(".pill", { hasText: `1/${total}` }).waitFor({ timeout: 3000 });
    assert(await page.getByRole("button", { name: "Back", exact: true }).isDisabled(), "back stack is empty again");
  });

  await t.test("the map draws cluster labels that browse their cluster (or says labels are unavailable)", async () => {
    if (!indexed()) return "skip";
    const umap = await api("GET", "umap_data/family");
    if (!(umap.status === 200 && Array.isArray(umap.json) && umap.json.length)) return "skip";
    await page.keyboard.press("m");
    const win = page.getByRole("dialog", { name: "Semantic map" });
    await win.waitFor({ timeout: 3000 });
    await page.waitForFunction(() => !document.querySelector(".map-status")?.textContent, null, { timeout: 15000 });
    // The UI asks with the eps that get_umap_eps reports; the labels may take a while to build.
    const eps = (await api("POST", "get_umap_eps/", { album: "family" })).json?.eps;
    const labels = await api("GET", `cluster_labels/family?cluster_min_samples=10&top_k=3${typeof eps === "number" ? `&cluster_eps=${eps}` : ""}`);
    const n = labels.status === 200 ? Object.keys(labels.json?.labels ?? {}).length : 0;
    if (labels.status === 404) {
      await win.locator(".map-note", { hasText: "Cluster labels are unavailable" }).waitFor({ timeout: 5000 });
    } else if (n === 0) {
      await win.locator(".map-note", { hasText: "No cluster labels" }).waitFor({ timeout: 5000 });
    } else {
      const first = win.locator(".map-label:not([hidden])").first();
      await first.waitFor({ timeout: 5000 });
      const text = await first.locator(".map-label-text").textContent();
      const known = Object.values(labels.json.labels).map((l) => l.label);
      assert(known.includes(text), `label ${text} is one of the server's (${known.slice(0, 5)})`);
      await first.click();
      await page.locator(".pill", { hasText: "Cluster" }).waitFor({ timeout: 3000 });
      await page.screenshot({ path: join(shots, "photomap-map-labels.png") });
      await page.getByRole("button", { name: "Clear search" }).click();
    }
    await page.keyboard.press("m");
    await win.waitFor({ state: "hidden", timeout: 3000 });
  });

  await t.test("Cluster Strength saves a typed value with set_umap_eps and Auto hands it back", async () => {
    if (!indexed()) return "skip";
    const probe = await api("POST", "get_umap_eps/", { album: "family" });
    if (probe.status === 404) return "skip";
    await page.keyboard.press("m");
    const win = page.getByRole("dialog", { name: "Semantic map" });
    await win.waitFor({ timeout: 3000 });
    const field = page.locator("#map-eps");
    await page.waitForFunction(() => !document.querySelector("#map-eps")?.disabled, null, { timeout: 5000 });
    await field.fill("5");
    assert((await field.getAttribute("aria-invalid")) === "true", "5 is past the 0.01–3 range");
    await field.fill("0.35");
    await field.press("Enter");
    await page.waitForFunction(async () => (await (await fetch("album/family/")).json()).umap_eps === 0.35, null, { timeout: 5000 });
    await win.locator(".eps-auto").waitFor({ state: "hidden", timeout: 3000 });
    await win.getByRole("button", { name: "Auto", exact: true }).click();
    await win.locator(".eps-auto").waitFor({ state: "visible", timeout: 5000 });
    const album = await api("GET", "album/family/");
    assert(album.json.umap_eps === null, `umap_eps cleared (got ${album.json.umap_eps})`);
    assert((await field.inputValue()) === Number(probe.json.eps).toFixed(2), `field shows the automatic value ${probe.json.eps}`);
    await page.keyboard.press("m");
    await win.waitFor({ state: "hidden", timeout: 3000 });
  });

  await t.test("the map draws one dot per photo, hovering a dot shows its thumbnail, clicking it opens that photo", async () => {
    if (!indexed()) return "skip";
    const total = getTotal();
    const umap = await api("GET", "umap_data/family");
    if (!(umap.status === 200 && Array.isArray(umap.json) && umap.json.length)) return "skip";
    assert(umap.json.length === total, `umap_data has ${umap.json.length} points for ${total} images`);
    const indices = umap.json.map((p) => p.index);
    assert(new Set(indices).size === total && indices.every((i) => i >= 0 && i < total), "one umap point per album index");
    await page.keyboard.press("m");
    const win = page.getByRole("dialog", { name: "Semantic map" });
    await win.waitFor({ timeout: 3000 });
    await page.waitForFunction(() => !document.querySelector(".map-status")?.textContent, null, { timeout: 15000 });
    await page.waitForFunction((n) => document.querySelector(".map-body")?.dataset.points === String(n), total, { timeout: 5000 })
      .catch(async () => assert(false, `the map draws ${await page.locator(".map-body").getAttribute("data-points")} dots for ${total} images`));
    // Labels arrive after the dots and may cover some; let them (and any camera pan) settle.
    await page.waitForFunction(() => !document.querySelector(".map-note")?.textContent?.startsWith("Loading"), null, { timeout: 15000 });
    await page.waitForTimeout(600);
    // The most isolated dot that is not the current image and that the mouse reaches (no label on it).
    const dot = await page.evaluate((all) => {
      const app = window.photomapApp;
      const canvas = document.querySelector(".map-canvas");
      const r = canvas.getBoundingClientRect();
      const pos = all.map((i) => ({ i, p: app.map.dotPosition(i) })).filter((d) => d.p);
      const best = { index: -1, x: 0, y: 0, gap: -1, drawn: pos.length };
      for (const d of pos) {
        const { x, y } = d.p;
        if (d.i === app.store.currentIndex || x < r.left + 12 || y < r.top + 12 || x > r.right - 12 || y > r.bottom - 12) continue;
        if (document.elementFromPoint(x, y) !== canvas) continue;
        const gap = Math.min(...pos.filter((o) => o !== d).map((o) => Math.hypot(o.p.x - x, o.p.y - y)));
        if (gap > best.gap) Object.assign(best, { index: d.i, x, y, gap });
      }
      return best;
    }, indices);
    assert(dot.drawn === total, `dotPosition places ${dot.drawn} of ${total} dots`);
    assert(dot.index >= 0 && dot.gap >= 6, `a dot the mouse can reach alone (best ${JSON.stringify(dot)})`);
    await page.mouse.move(dot.x - 30, dot.y - 30);
    await page.mouse.move(dot.x, dot.y, { steps: 6 });
    const hover = win.locator(".map-hover");
    await hover.waitFor({ state: "visible", timeout: 3000 });
    await page.waitForFunction((i) => document.querySelector(".map-hover img")?.getAttribute("src")?.startsWith(`thumbnails/family/${i}?`), dot.index, { timeout: 3000 })
      .catch(async () => assert(false, `hover thumbnail ${await hover.locator("img").getAttribute("src")} is image ${dot.index}'s`));
    await page.waitForFunction(() => { const i = document.querySelector(".map-hover img"); return i?.complete && i.naturalWidth > 0; }, null, { timeout: 5000 });
    await page.screenshot({ path: join(shots, "photomap-map-hover.png") });
    await page.mouse.click(dot.x, dot.y);
    const want = `${dot.index + 1}/${total}`;
    await page.waitForFunction((w) => document.querySelector(".pill")?.textContent === w, want, { timeout: 5000 })
      .catch(async () => assert(false, `clicking dot ${dot.index} shows ${want} (pill says ${await pillText(page)})`));
    await page.keyboard.press("m");
    await win.waitFor({ state: "hidden", timeout: 3000 });
  });

  await t.test("deleting the current image asks first, removes the file and the count drops", async () => {
    if (!indexed()) return "skip";
    const total = getTotal();
    await page.getByRole("button", { name: "Settings", exact: true }).click();
    await page.selectOption("#set-trash", "delete");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowRight");
    await page.locator(".pill", { hasText: `2/${total}` }).waitFor({ timeout: 3000 });
    const name = await page.locator(".slide-img").getAttribute("alt");
    assert(name && existsSync(join(photos, name)), `current file ${name} exists`);
    let question = "";
    page.once("dialog", (d) => {
      question = d.message();
      void d.dismiss();
    });
    await page.getByRole("button", { name: "Delete image" }).click();
    await page.waitForTimeout(300);
    assert(question.includes(name) && existsSync(join(photos, name)), `dismissing keeps the file (asked: ${question})`);
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Delete image" }).click();
    await page.locator(".pill", { hasText: `2/${total - 1}` }).waitFor({ timeout: 10000 });
    assert(!existsSync(join(photos, name)), `${name} was deleted from the disk`);
    const m = await api("GET", "index_metadata/family");
    assert(m.json?.filename_count === total - 1, `index now holds ${m.json?.filename_count}`);
    await page.waitForFunction((n) => { const a = document.querySelector(".slide-img")?.getAttribute("alt"); return a && a !== n; }, name, { timeout: 5000 });
  });

  await t.test("a video slide plays in the viewer from videos/… with Range", async () => {
    if (!indexed()) return "skip";
    const dir = join(tmp, "Videos");
    mkdirSync(dir, { recursive: true });
    cpSync("/work/shared/photos/video/clip.webm", join(dir, "clip.webm"));
    const added = await api("POST", "add_album/", { key: "videos", name: "Videos", image_paths: [dir], index: `${tmp}/videos-index/embeddings.npz`, encoder_spec: encoder, min_image_dimension: 16 });
    assert(added.status === 201 || added.status === 200, `add_album → ${added.status}`);
    const started = await api("POST", "update_index_async/", { album_key: "videos" });
    assert(started.status < 300, `update_index_async → ${started.status} ${JSON.stringify(started.json)}`);
    const t0 = Date.now();
    while (Date.now() - t0 < 60000) {
      const p = (await api("GET", "index_progress/videos")).json;
      if (p && !["scanning", "downloading", "indexing", "mapping"].includes(p.status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const meta = (await api("GET", "index_metadata/videos")).json;
    if (!meta || meta.filename_count !== 1) return "skip"; // this server does not index videos
    await page.reload();
    await page.locator(".pill").waitFor({ timeout: 10000 });
    await page.selectOption("#album-select", "videos");
    const video = page.locator("video.slide-video");
    await video.waitFor({ timeout: 10000 });
    const src = await video.getAttribute("src");
    assert(src === "videos/videos/clip.webm", `video src ${src}`);
    assert(/^video_frame\/videos\/0/.test((await video.getAttribute("poster")) ?? ""), "the still is the poster");
    await page.waitForFunction(() => { const v = document.querySelector("video.slide-video"); return v && v.readyState >= 1 && v.duration > 0; }, null, { timeout: 10000 });
    await page.screenshot({ path: join(shots, "photomap-video.png") });
    await page.selectOption("#album-select", "family");
    await page.locator(".slide-img[src]").waitFor({ timeout: 10000 });
    assert(await video.isHidden(), "the video element hides for images");
  });
}
