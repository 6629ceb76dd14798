// Controls under the semantic map: the Cluster Strength (DBSCAN eps) field, a number input and a
// slider bound to get_umap_eps / set_umap_eps (empty field or "Auto" = the server's automatic
// value, shown as a tick on the slider and an "auto" badge), Show Images / Videos / Both, Show
// landmarks, what a click on a dot does (open the image or browse its cluster; kept in
// localStorage), and a note line (e.g. "cluster labels are unavailable").
import { ApiError, type Api } from "./api";
import { h } from "./dom";
import { icon } from "./icons";
import type { ClusterStats, MediaShown } from "./map-data";
import { toast } from "./toast";

const CLICK_KEY = "photomap.mapClick";
export const EPS_MIN = 0.01;
export const EPS_MAX = 3;

// Parses the Cluster Strength field: null = automatic (empty), NaN = invalid, else the value.
export function parseEps(text: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  const v = Number(t);
  return Number.isFinite(v) && v >= EPS_MIN && v <= EPS_MAX ? v : NaN;
}

export interface MapControlsHost {
  album(): string;
  epsChanged(eps: number | null): void; // the value the map must be drawn with (null = unknown)
  mediaChanged(shown: MediaShown): void;
  landmarksChanged(on: boolean): void;
}

export class MapControls {
  readonly el: HTMLElement;
  readonly note: HTMLElement;
  private readonly stats: HTMLElement;
  private readonly num: HTMLInputElement;
  private readonly slider: HTMLInputElement;
  private readonly ticks: HTMLDataListElement;
  private readonly badge: HTMLElement;
  private readonly media: HTMLInputElement[];
  private readonly landmarks: HTMLInputElement;
  private readonly clickCluster: HTMLInputElement;
  private readonly autoByAlbum = new Map<string, number>();
  private timer = 0;
  private token = 0;
  eps: number | null = null;

  constructor(
    private readonly api: Api,
    private readonly host: MapControlsHost,
  ) {
    this.num = h("input", { id: "map-eps", type: "number", min: EPS_MIN, max: EPS_MAX, step: 0.01, class: "num", placeholder: "auto", "aria-label": "Cluster Strength" });
    this.ticks = h("datalist", { id: "map-eps-ticks" });
    this.slider = h("input", { id: "map-eps-slider", type: "range", min: EPS_MIN, max: 1, step: 0.01, list: "map-eps-ticks", "aria-label": "Cluster Strength slider" });
    this.badge = h("span", { class: "eps-auto", title: "Derived by the server" }, "auto");
    const autoBtn = h("button", { type: "button", class: "btn small-btn", title: "Use the automatic Cluster Strength", onclick: () => void this.commit(null) }, "Auto");
    this.num.addEventListener("input", () => {
      const v = parseEps(this.num.value);
      this.markInvalid(Number.isNaN(v));
      if (v !== null && !Number.isNaN(v)) this.slider.value = String(Math.min(v, Number(this.slider.max)));
      window.clearTimeout(this.timer);
      if (!Number.isNaN(v)) this.timer = window.setTimeout(() => void this.commit(v), 1000);
    });
    this.num.addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      const v = parseEps(this.num.value);
      window.clearTimeout(this.timer);
      if (!Number.isNaN(v)) void this.commit(v);
    });
    this.slider.addEventListener("input", () => {
      this.num.value = Number(this.slider.value).toFixed(2);
      this.markInvalid(false);
    });
    this.slider.addEventListener("change", () => {
      window.clearTimeout(this.timer);
      void this.commit(Number(Number(this.slider.value).toFixed(2)));
    });
    const radio = (value: MediaShown, text: string) => {
      const r = h("input", { type: "radio", name: "map-media", value, id: `map-media-${value}`, checked: value === "both" });
      r.addEventListener("change", () => r.checked && this.host.mediaChanged(value));
      return [r, h("label", { for: r.id }, text)] as const;
    };
    const [ri, li] = radio("image", "Images");
    const [rv, lv] = radio("video", "Videos");
    const [rb, lb] = radio("both", "Both");
    this.media = [ri, rv, rb];
    this.landmarks = h("input", { type: "checkbox", id: "map-landmarks", checked: true });
    this.landmarks.addEventListener("change", () => this.host.landmarksChanged(this.landmarks.checked));
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(CLICK_KEY);
    } catch {
      // no storage: the default holds
    }
    const clickImage = h("input", { type: "radio", name: "map-click", id: "map-click-image", checked: stored !== "cluster" });
    this.clickCluster = h("input", { type: "radio", name: "map-click", id: "map-click-cluster", checked: stored === "cluster" });
    for (const r of [clickImage, this.clickCluster]) {
      r.addEventListener("change", () => {
        try {
          localStorage.setItem(CLICK_KEY, this.clickCluster.checked ? "cluster" : "image");
        } catch {
          // kept for this page only
        }
      });
    }
    this.note = h("div", { class: "map-note", role: "status" });
    this.stats = h("div", { class: "map-note map-stats", hidden: true });
    const info = h("button", { type: "button", class: "icon-btn small", "aria-label": "Cluster statistics", title: "Cluster statistics", onclick: () => (this.stats.hidden = !this.stats.hidden) }, icon("info"));
    this.el = h(
      "div",
      { class: "map-controls" },
      h("div", { class: "map-row" }, info,
        h("label", { for: "map-eps", title: "DBSCAN eps: larger values merge clusters, smaller values split them" }, "Cluster Strength"),
        this.num, this.badge, this.slider, this.ticks, autoBtn),
      h("div", { class: "map-row" },
        h("span", { class: "muted" }, "Show:"), ri, li, rv, lv, rb, lb,
        this.landmarks, h("label", { for: "map-landmarks" }, "Landmarks")),
      h("div", { class: "map-row" },
        h("span", { class: "muted" }, "Click selects:"), clickImage, h("label", { for: "map-click-image" }, "image"),
        this.clickCluster, h("label", { for: "map-click-cluster" }, "cluster")),
      this.stats,
      this.note,
    );
  }

  setStats(s: ClusterStats | null): void {
    this.stats.textContent = s
      ? `Strength ${this.eps === null ? "?" : this.eps.toFixed(2)}: ${s.clusters} clusters, largest ${s.largest}, smallest ${s.smallest}, unclustered ${s.unclustered}, total ${s.total}.`
      : "No map.";
  }

  get clickSelectsCluster(): boolean {
    return this.clickCluster.checked;
  }

  // Enables the Videos/Images choice only when the album has videos.
  setHasVideos(has: boolean): void {
    for (const r of this.media) r.disabled = !has;
    if (!has && !this.media[2].checked) {
      this.media[2].checked = true;
      this.host.mediaChanged("both");
    }
  }

  // Reads the album's eps from the server; resolves with the value to draw with.
  async load(): Promise<number | null> {
    const album = this.host.album();
    const token = ++this.token;
    try {
      const r = await this.api.getUmapEps(album);
      if (token !== this.token) return this.eps;
      this.show(album, typeof r.eps === "number" ? r.eps : null, r.auto === true);
    } catch (e) {
      if (token !== this.token) return this.eps;
      this.show(album, null, false);
      this.num.disabled = this.slider.disabled = true;
      this.note.textContent = e instanceof ApiError && e.status === 404 ? "Cluster Strength is not available on this server." : `Cluster Strength cannot be read: ${(e as Error).message}`;
    }
    return this.eps;
  }

  private show(album: string, eps: number | null, auto: boolean): void {
    this.eps = eps;
    this.num.disabled = this.slider.disabled = false;
    if (auto && eps !== null) this.autoByAlbum.set(album, eps);
    const autoEps = this.autoByAlbum.get(album);
    this.ticks.replaceChildren(...(autoEps !== undefined ? [h("option", { value: autoEps.toFixed(2), label: "auto" })] : []));
    this.slider.title = autoEps !== undefined ? `Automatic value: ${autoEps.toFixed(2)}` : "";
    this.slider.max = String(Math.max(1, Math.min(EPS_MAX, Math.ceil((eps ?? 0) * 2))));
    this.num.value = eps === null ? "" : eps.toFixed(2);
    this.slider.value = String(eps ?? autoEps ?? 0.2);
    this.badge.hidden = !auto;
    this.markInvalid(false);
  }

  private markInvalid(bad: boolean): void {
    this.num.classList.toggle("invalid", bad);
    this.num.setAttribute("aria-invalid", String(bad));
    this.num.title = bad ? `Enter a value from ${EPS_MIN} to ${EPS_MAX}, or leave it empty for the automatic value` : "";
  }

  // Stores the value (null = automatic) and redraws the map with it.
  private async commit(eps: number | null): Promise<void> {
    const album = this.host.album();
    if (eps !== null && eps === this.eps && this.badge.hidden) return;
    try {
      await this.api.setUmapEps(album, eps);
    } catch (e) {
      toast(`Cluster Strength was not saved: ${(e as Error).message}`, "error");
      return;
    }
    if (album !== this.host.album()) return;
    if (eps === null) await this.load();
    else this.show(album, eps, false);
    this.host.epsChanged(this.eps);
  }
}
