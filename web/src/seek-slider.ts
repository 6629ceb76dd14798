// Seek slider: a thin progress strip along the top edge (how far through the list); hovering it,
// or clicking the position pill, slides in a range input with 10 tick labels (MM/YYYY capture
// dates from image_info in album mode, scores for searches, positions for clusters and
// bookmarks). A tooltip follows the thumb while dragging; releasing jumps there. Only 10 dates
// (plus the thumb's) are ever fetched, so it stays cheap for 100k images.
import type { Api } from "./api";
import { h } from "./dom";
import type { Store } from "./store";

const TICKS = 10;

// Evenly spread list positions for `count` ticks over n items (first and last included).
export function tickPositions(n: number, count = TICKS): number[] {
  if (n <= 0) return [];
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.round((i * (n - 1)) / (count - 1)));
}

const pad = (v: number) => String(v).padStart(2, "0");

// "MM/YYYY" for a tick, "DD/MM/YY" for the thumb's tooltip; "" for unknown dates.
export function monthYear(epochSeconds: number): string {
  if (!Number.isFinite(epochSeconds) || epochSeconds <= 0) return "";
  const d = new Date(epochSeconds * 1000);
  return `${pad(d.getMonth() + 1)}/${d.getFullYear()}`;
}

export function dayMonthYear(epochSeconds: number): string {
  if (!Number.isFinite(epochSeconds) || epochSeconds <= 0) return "";
  const d = new Date(epochSeconds * 1000);
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${pad(d.getFullYear() % 100)}`;
}

export class SeekSlider {
  readonly el: HTMLElement;
  private readonly fill: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly range: HTMLInputElement;
  private readonly ticks: HTMLElement;
  private readonly tip: HTMLElement;
  private readonly dates = new Map<string, Promise<number>>(); // "album|index" → last_modified
  private ticksKey = "";
  private hideTimer = 0;
  private tipTimer = 0;

  constructor(
    private readonly api: Api,
    private readonly store: Store,
    private readonly onSeek: (pos: number) => void,
  ) {
    this.fill = h("div", { class: "seek-fill" });
    this.range = h("input", { type: "range", class: "seek-range", min: 0, max: 0, step: 1, value: 0, "aria-label": "Seek" });
    this.ticks = h("div", { class: "seek-ticks", "aria-hidden": "true" });
    this.tip = h("div", { class: "seek-tip", hidden: true });
    this.panel = h("div", { class: "seek-panel", hidden: true }, this.range, this.tip, this.ticks);
    this.el = h("div", { class: "seek" }, h("div", { class: "seek-strip" }, this.fill), this.panel);
    this.el.addEventListener("mouseenter", () => this.show());
    this.el.addEventListener("mouseleave", () => this.hideSoon(150));
    this.range.addEventListener("input", () => this.updateTip());
    this.range.addEventListener("change", () => {
      this.tip.hidden = true;
      this.onSeek(Number(this.range.value));
      this.hideSoon(10000);
    });
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  toggle(): void {
    if (this.isOpen) this.panel.hidden = true;
    else this.show();
  }

  show(): void {
    if (this.store.length < 2) return;
    this.panel.hidden = false;
    this.update();
    this.hideSoon(10000);
  }

  private hideSoon(ms: number): void {
    window.clearTimeout(this.hideTimer);
    this.hideTimer = window.setTimeout(() => {
      if (document.activeElement !== this.range || ms > 1000) this.panel.hidden = true;
    }, ms);
  }

  // Follows the store: progress strip always, slider and ticks while open.
  update(): void {
    const s = this.store;
    const n = s.length;
    this.el.hidden = n < 2;
    this.fill.style.width = n > 1 ? `${(100 * s.pos) / (n - 1)}%` : "0";
    if (this.panel.hidden) return;
    this.range.max = String(Math.max(0, n - 1));
    if (document.activeElement !== this.range) this.range.value = String(s.pos);
    const key = `${s.album?.key}|${s.listKind}|${n}|${s.results?.[0]?.index ?? ""}`;
    if (key !== this.ticksKey) {
      this.ticksKey = key;
      void this.renderTicks(key);
    }
  }

  private date(index: number): Promise<number> {
    const album = this.store.album?.key ?? "";
    const k = `${album}|${index}`;
    let p = this.dates.get(k);
    if (!p) {
      p = this.api.imageInfo(album, index).then((r) => Number(r.last_modified), () => 0);
      this.dates.set(k, p);
      if (this.dates.size > 500) this.dates.delete(this.dates.keys().next().value as string);
    }
    return p;
  }

  private async renderTicks(key: string): Promise<void> {
    const s = this.store;
    const n = s.length;
    const positions = tickPositions(n);
    const title = s.listKind === "search" ? "Score" : s.listKind === "cluster" ? "Cluster Position" : s.listKind === "bookmarks" ? "Favorite" : "Date";
    let labels: string[];
    if (s.listKind === "search") labels = positions.map((p) => s.scoreAt(p)?.toFixed(4) ?? "");
    else if (s.listKind) labels = positions.map((p) => String(p + 1));
    else labels = (await Promise.all(positions.map((p) => this.date(s.indexAt(p))))).map(monthYear);
    if (key !== this.ticksKey) return;
    this.ticks.replaceChildren(
      h("span", { class: "seek-title" }, title),
      ...positions.map((p, i) => h("span", { class: "seek-tick", style: `left:${n > 1 ? (100 * p) / (n - 1) : 0}%` }, labels[i])),
    );
  }

  private updateTip(): void {
    const s = this.store;
    const pos = Number(this.range.value);
    const n = s.length;
    this.tip.hidden = false;
    this.tip.style.left = `${n > 1 ? (100 * pos) / (n - 1) : 0}%`;
    const score = s.scoreAt(pos);
    this.tip.textContent = score !== null ? `Score: ${score.toFixed(4)}` : `${pos + 1}/${n}`;
    if (score !== null || s.listKind) return;
    window.clearTimeout(this.tipTimer);
    this.tipTimer = window.setTimeout(() => {
      void this.date(s.indexAt(pos)).then((t) => {
        if (Number(this.range.value) === pos && t > 0) this.tip.textContent = `${pos + 1}/${n} · ${dayMonthYear(t)}`;
      });
    }, 120);
  }
}
