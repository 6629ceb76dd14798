// Search dialog: text, "text to avoid", a query image (upload, drag-drop, paste anywhere), their
// weights, min score and max results. Results replace the browsing list (with scores); a new
// search aborts the one in flight; Clear returns to the album.
import { Api, ApiError, type Album, type SearchRequest } from "./api";
import { releaseFocus } from "./focus-trap";
import { h } from "./dom";
import { toast } from "./toast";

export interface SearchHost {
  album(): Album | null;
  currentImageUrl(): Promise<string | null>; // the image shown now, for "search with this image"
  showResults(results: { index: number; score: number }[], label: string): void;
  clearResults(): void;
}

function slider(id: string, label: string, value: number): [HTMLElement, HTMLInputElement] {
  const input = h("input", { id, type: "range", min: 0, max: 1, step: 0.05, value, "aria-label": label });
  const out = h("output", { for: id }, value.toFixed(2));
  input.addEventListener("input", () => (out.textContent = Number(input.value).toFixed(2)));
  return [h("div", { class: "weight" }, h("span", { class: "muted" }, "Weight"), input, out), input];
}

export function readFileAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => (typeof r.result === "string" ? resolve(r.result) : reject(new Error("read failed: no data URL")));
    r.onerror = () => reject(r.error ?? new Error("read failed"));
    r.readAsDataURL(file);
  });
}

export class SearchPanel {
  readonly el: HTMLElement;
  private readonly text: HTMLInputElement;
  private readonly avoid: HTMLInputElement;
  private readonly textWeight: HTMLInputElement;
  private readonly avoidWeight: HTMLInputElement;
  private readonly imageWeight: HTMLInputElement;
  private readonly minScore: HTMLInputElement;
  private readonly maxResults: HTMLInputElement;
  private readonly drop: HTMLElement;
  private readonly preview: HTMLImageElement;
  private readonly fileInput: HTMLInputElement;
  private readonly message: HTMLElement;
  private imageData: string | null = null;
  private inflight: AbortController | null = null;

  constructor(
    private readonly api: Api,
    private readonly host: SearchHost,
  ) {
    this.text = h("input", { id: "search-text", type: "search", autocomplete: "off", placeholder: "e.g. dog on a beach" });
    this.avoid = h("input", { id: "search-avoid", type: "search", autocomplete: "off" });
    const [tw, twi] = slider("w-text", "Text weight", 0.5);
    const [aw, awi] = slider("w-avoid", "Text to avoid weight", 0.25);
    const [iw, iwi] = slider("w-image", "Image weight", 0.5);
    this.textWeight = twi;
    this.avoidWeight = awi;
    this.imageWeight = iwi;
    this.minScore = h("input", { id: "search-min-score", type: "number", min: 0, max: 1, step: 0.005, class: "num" });
    this.maxResults = h("input", { id: "search-max-results", type: "number", min: 1, max: 10000, step: 1, value: 100, class: "num" });
    this.fileInput = h("input", { type: "file", accept: "image/*", hidden: true, "aria-label": "Upload a search image" });
    this.preview = h("img", { class: "drop-preview", alt: "Search image", hidden: true });
    const clearImg = h("button", { type: "button", class: "icon-btn small", "aria-label": "Remove search image", onclick: (e: Event) => { e.stopPropagation(); this.setImage(null); } }, "×");
    this.drop = h("div", { class: "drop-zone", tabindex: 0, role: "button", "aria-label": "Search image: click to upload, or drop or paste an image" }, h("span", { class: "muted" }, "Drop, paste or click to upload an image"), this.preview, clearImg);
    this.message = h("div", { class: "search-message", role: "status" });
    const form = h(
      "form",
      { class: "search-form" },
      h("div", { class: "search-col" }, h("h3", {}, "Image Search"), this.drop, this.fileInput, iw,
        h("button", { type: "button", class: "btn small-btn", onclick: () => void this.useCurrentImage() }, "Use the current image")),
      h(
        "div",
        { class: "search-col" },
        h("label", { for: "search-text" }, "Text Search:"), this.text, tw,
        h("label", { for: "search-avoid" }, "Text to Avoid:"), this.avoid, aw,
        h("div", { class: "tuning" },
          h("label", { for: "search-min-score" }, "Min. score"), this.minScore,
          h("label", { for: "search-max-results" }, "Max. results"), this.maxResults),
      ),
      h("div", { class: "search-footer" }, this.message,
        h("button", { type: "button", class: "btn", onclick: () => this.clear() }, "Clear"),
        h("button", { type: "submit", class: "btn btn-blue" }, "Search")),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.run();
    });
    this.el = h(
      "section",
      { class: "search-panel", role: "dialog", "aria-label": "Search", hidden: true },
      h("header", { class: "modal-header" }, h("h2", {}, "Search"), h("button", { class: "icon-btn", type: "button", "aria-label": "Close search", onclick: () => this.close() }, "✖")),
      form,
    );
    this.drop.addEventListener("click", () => this.fileInput.click());
    this.drop.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        this.fileInput.click();
      }
    });
    this.fileInput.addEventListener("change", () => {
      const f = this.fileInput.files?.[0];
      if (f) void this.useFile(f, false);
    });
    this.drop.addEventListener("dragover", (e) => {
      e.preventDefault();
      this.drop.classList.add("over");
    });
    this.drop.addEventListener("dragleave", () => this.drop.classList.remove("over"));
    this.drop.addEventListener("drop", (e) => {
      e.preventDefault();
      this.drop.classList.remove("over");
      const f = e.dataTransfer?.files?.[0];
      if (f) void this.useFile(f, false);
    });
    // Paste an image anywhere → immediate image search.
    document.addEventListener("paste", (e) => {
      const item = [...(e.clipboardData?.items ?? [])].find((i) => i.type.startsWith("image/"));
      const f = item?.getAsFile();
      if (f) {
        e.preventDefault();
        void this.useFile(f, true);
      }
    });
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  open(): void {
    const a = this.host.album();
    if (a) {
      if (this.minScore.value === "") this.minScore.value = a.min_search_score != null ? String(a.min_search_score) : "";
      if (a.max_search_results) this.maxResults.value = String(a.max_search_results);
    }
    this.el.hidden = false;
    this.text.focus();
  }

  close(): void {
    releaseFocus(this.el);
    this.el.hidden = true;
  }

  // Resets the per-album tuning when the album changes.
  albumChanged(): void {
    this.minScore.value = "";
    this.message.textContent = "";
  }

  async useCurrentImage(): Promise<void> {
    const url = await this.host.currentImageUrl();
    if (!url) {
      toast("There is no image to search with.", "error");
      return;
    }
    try {
      const r = await fetch(url);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      this.setImage(await readFileAsDataUrl(await r.blob()));
    } catch (e) {
      toast(`The current image cannot be read: ${(e as Error).message}`, "error");
    }
  }

  searchWithFile(f: File): Promise<void> {
    return this.useFile(f, true);
  }

  private async useFile(f: File, runNow: boolean): Promise<void> {
    if (!f.type.startsWith("image/")) {
      toast("Search by image needs an image file.", "error");
      return;
    }
    this.setImage(await readFileAsDataUrl(f));
    if (runNow) await this.run();
  }

  setImage(dataUrl: string | null): void {
    this.imageData = dataUrl;
    this.preview.hidden = !dataUrl;
    if (dataUrl) this.preview.src = dataUrl;
    else this.preview.removeAttribute("src");
    this.drop.classList.toggle("has-image", !!dataUrl);
  }

  request(): SearchRequest {
    const min = this.minScore.value.trim();
    return {
      positive_query: this.text.value.trim(),
      negative_query: this.avoid.value.trim(),
      image_data: this.imageData,
      image_weight: Number(this.imageWeight.value),
      positive_weight: Number(this.textWeight.value),
      negative_weight: Number(this.avoidWeight.value),
      min_search_score: min === "" ? null : Number(min),
      max_search_results: Math.max(1, Math.floor(Number(this.maxResults.value) || 100)),
      use_query_optimization: this.host.album()?.use_query_optimization ?? null,
    };
  }

  async run(): Promise<void> {
    const album = this.host.album();
    if (!album) return;
    const req = this.request();
    if (!req.positive_query && !req.negative_query && !req.image_data) {
      this.message.textContent = "Type some text or add an image to search.";
      return;
    }
    this.inflight?.abort();
    const ctl = (this.inflight = new AbortController());
    this.message.textContent = "Searching…";
    try {
      const { results } = await this.api.search(album.key, req, ctl.signal);
      if (ctl !== this.inflight) return;
      if (!results || results.length === 0) {
        this.message.textContent = "No images match your search.";
        return;
      }
      this.message.textContent = `${results.length} results`;
      const label = req.positive_query ? `“${req.positive_query}”` : req.image_data ? "image search" : "search";
      this.host.showResults(results, label);
      this.close();
    } catch (e) {
      if (e instanceof DOMException && e.name === "AbortError") return;
      const notServed = e instanceof ApiError && e.status === 404 && e.detail === "Not Found";
      const why = notServed ? "this server does not offer search yet." : (e as Error).message;
      // The reason stays in the panel too (e.g. the 400 of a classic:v1 album, whose encoder
      // cannot read text), not only in a toast that fades.
      this.message.textContent = `Search failed: ${why}`;
      toast(`Search failed: ${why}`, "error");
    } finally {
      if (ctl === this.inflight) this.inflight = null;
    }
  }

  clear(): void {
    this.inflight?.abort();
    this.text.value = "";
    this.avoid.value = "";
    this.setImage(null);
    this.message.textContent = "";
    this.host.clearResults();
  }
}
