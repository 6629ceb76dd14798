// Metadata drawer (left edge): filename with copy-path, EXIF table, GPS with a map link, InvokeAI
// prompts / model / seed / LoRAs with copy buttons, and a raw-JSON view. Built from the JSON of
// get_metadata/{k}/{i}; the server's HTML description is never used.
import { Api, type SlideSummary } from "./api";
import { releaseFocus } from "./focus-trap";
import { h, clear } from "./dom";
import { icon } from "./icons";
import { buildMetadataView, type Row } from "./metadata";

function copyButton(text: string, label: string): HTMLElement {
  const b = h("button", { type: "button", class: "icon-btn small copy-btn", "aria-label": `Copy ${label}`, title: `Copy ${label}` }, icon("copy"));
  b.addEventListener("click", () => {
    void navigator.clipboard?.writeText(text).then(() => {
      b.replaceChildren(icon("check"));
      window.setTimeout(() => b.replaceChildren(icon("copy")), 1200);
    }).catch(() => undefined);
  });
  return b;
}

function table(rows: Row[], copyable: Set<string> = new Set()): HTMLElement {
  return h(
    "table",
    { class: "meta-table" },
    h("tbody", {}, ...rows.map((r) => h("tr", {}, h("th", { scope: "row" }, r.label), h("td", {}, r.value, copyable.has(r.label) ? copyButton(r.value, r.label) : null)))),
  );
}

export class MetadataDrawer {
  readonly el: HTMLElement;
  readonly tab: HTMLButtonElement;
  private readonly body: HTMLElement;
  private token = 0;
  private current: { album: string; index: number; slide: SlideSummary | null } | null = null;

  constructor(private readonly api: Api) {
    this.body = h("div", { class: "drawer-body" });
    this.el = h(
      "aside",
      { class: "drawer", "aria-label": "Image details", hidden: true, id: "metadata-drawer" },
      h("header", { class: "modal-header" }, h("h2", {}, "Image details"), h("button", { class: "icon-btn", type: "button", "aria-label": "Close image details", onclick: () => this.hide() }, "✖")),
      this.body,
    );
    this.tab = h("button", { class: "drawer-tab", type: "button", "aria-label": "Show image details", "aria-controls": "metadata-drawer", "aria-expanded": "false" }, "▸");
    this.tab.addEventListener("click", () => this.toggle());
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  show(): void {
    this.el.hidden = false;
    this.tab.setAttribute("aria-expanded", "true");
    void this.load();
  }

  hide(): void {
    releaseFocus(this.el);
    this.el.hidden = true;
    this.tab.setAttribute("aria-expanded", "false");
  }

  toggle(): void {
    if (this.isOpen) this.hide();
    else this.show();
  }

  setImage(album: string, index: number, slide: SlideSummary | null): void {
    this.current = { album, index, slide };
    if (this.isOpen) void this.load();
  }

  private async load(): Promise<void> {
    const cur = this.current;
    const token = ++this.token;
    if (!cur || cur.index < 0) {
      this.body.replaceChildren(h("p", { class: "muted" }, "No image."));
      return;
    }
    const head = h(
      "div",
      { class: "drawer-title" },
      h("span", { class: "filename" }, cur.slide?.filename ?? `Image ${cur.index}`),
      cur.slide?.filepath ? copyButton(cur.slide.filepath, "full path") : null,
    );
    this.body.replaceChildren(head, h("p", { class: "muted" }, "Loading…"));
    let md: Record<string, unknown>;
    try {
      md = await this.api.metadata(cur.album, cur.index);
    } catch (e) {
      if (token === this.token) this.body.replaceChildren(head, h("p", { class: "error-line" }, `No metadata: ${(e as Error).message}`));
      return;
    }
    if (token !== this.token) return;
    const v = buildMetadataView(md && typeof md === "object" ? md : {});
    clear(this.body);
    this.body.appendChild(head);
    if (cur.slide?.filepath) this.body.appendChild(h("div", { class: "muted path" }, cur.slide.filepath));
    if (v.gps) {
      this.body.appendChild(
        h("div", { class: "gps" }, icon("pin"), " ", `${v.gps.lat.toFixed(5)}, ${v.gps.lon.toFixed(5)}`, v.gps.alt !== null ? ` · ${v.gps.alt.toFixed(0)} m` : "", " ",
          h("a", { href: v.gps.link, target: "_blank", rel: "noopener noreferrer" }, "Open map")),
      );
    }
    if (v.invoke.length) {
      this.body.appendChild(h("h3", {}, "InvokeAI"));
      this.body.appendChild(table(v.invoke, new Set(["Positive Prompt", "Negative Prompt", "Seed"])));
      if (v.loras.length) this.body.appendChild(h("div", {}, h("strong", {}, "LoRAs: "), v.loras.join(", ")));
    }
    if (v.exif.length) this.body.appendChild(table(v.exif));
    if (!v.invoke.length && !v.exif.length && !v.gps) this.body.appendChild(h("p", { class: "muted" }, "This image has no EXIF metadata."));
    const raw = h("pre", { class: "raw-json" }, JSON.stringify(md, null, 2));
    this.body.appendChild(h("details", {}, h("summary", {}, "View metadata (JSON)"), copyButton(JSON.stringify(md, null, 2), "JSON"), raw));
  }
}
