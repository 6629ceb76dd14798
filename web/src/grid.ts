// Virtualised grid view: a scrolling container whose height covers all rows; only the tiles of
// visible rows (plus overscan) exist in the DOM and each requests its thumbnail when created.
// Click = make current; double-click / Enter = open in the single view. Each tile carries a
// ☆/★ bookmark toggle.
import { urls } from "./api";
import { h } from "./dom";
import { computeLayout, scrollToReveal, tilePosition, visibleRange, type GridLayout } from "./grid-math";
import type { Store } from "./store";

export class GridView {
  readonly el: HTMLElement;
  private readonly canvas: HTMLElement;
  private tiles = new Map<number, HTMLElement>(); // by list position
  private layout: GridLayout = computeLayout(800, 0);
  private frame = 0;
  private listKey = "";
  album = "";
  tileTarget = 200;
  isBookmarked: (index: number) => boolean = () => false;
  onStar: (index: number) => void = () => undefined;

  constructor(
    private readonly store: Store,
    private readonly onOpen: (pos: number) => void,
  ) {
    this.canvas = h("div", { class: "grid-canvas" });
    this.el = h("div", { class: "grid", role: "grid", "aria-label": "Thumbnail grid", tabindex: 0, hidden: true }, this.canvas);
    this.el.addEventListener("scroll", () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.el);
    this.canvas.addEventListener("click", (e) => {
      const star = (e.target as HTMLElement | null)?.closest?.(".tile-star") as HTMLElement | null;
      if (star) {
        this.onStar(Number(star.dataset.index));
        return;
      }
      const pos = this.posOf(e.target);
      if (pos !== null) this.store.setPosition(pos);
    });
    this.canvas.addEventListener("dblclick", (e) => {
      const pos = this.posOf(e.target);
      if (pos !== null) this.onOpen(pos);
    });
  }

  private posOf(t: EventTarget | null): number | null {
    const tile = (t as HTMLElement | null)?.closest?.(".tile") as HTMLElement | null;
    return tile ? Number(tile.dataset.pos) : null;
  }

  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  // Called when the list (album or search results) changes: drop all tiles.
  reset(): void {
    for (const t of this.tiles.values()) t.remove();
    this.tiles.clear();
    this.render();
  }

  reveal(): void {
    if (this.el.hidden) return;
    const top = scrollToReveal(this.layout, this.store.pos, this.el.scrollTop, this.el.clientHeight);
    if (top !== this.el.scrollTop) this.el.scrollTop = top;
    this.updateCurrent();
  }

  // Row-wise move for the arrow keys in grid mode.
  get columns(): number {
    return this.layout.columns;
  }

  render(): void {
    if (this.el.hidden) return;
    const s = this.store;
    const n = s.length;
    const key = `${this.album}|${s.results ? "r" + s.results.length : "a" + s.total}`;
    if (key !== this.listKey) {
      this.listKey = key;
      for (const t of this.tiles.values()) t.remove();
      this.tiles.clear();
    }
    const width = this.el.clientWidth || window.innerWidth;
    const layout = computeLayout(width, n, this.tileTarget);
    if (layout.tile !== this.layout.tile || layout.columns !== this.layout.columns) {
      for (const t of this.tiles.values()) t.remove();
      this.tiles.clear();
    }
    this.layout = layout;
    this.canvas.style.height = `${layout.totalHeight}px`;
    const range = visibleRange(layout, this.el.scrollTop, this.el.clientHeight || window.innerHeight, n);
    for (const [pos, t] of this.tiles) {
      if (pos < range.start || pos >= range.end) {
        t.remove();
        this.tiles.delete(pos);
      }
    }
    const thumbSize = Math.min(2048, Math.ceil(layout.tile * Math.min(2, window.devicePixelRatio || 1) / 64) * 64);
    const frag = document.createDocumentFragment();
    for (let pos = range.start; pos < range.end; pos++) {
      if (this.tiles.has(pos)) continue;
      const index = s.indexAt(pos);
      const { top, left } = tilePosition(layout, pos);
      const score = s.scoreAt(pos);
      const img = h("img", { src: urls.thumbnail(this.album, index, thumbSize), alt: `Image ${pos + 1}`, decoding: "async", draggable: "false" });
      const tile = h(
        "div",
        { class: "tile", role: "gridcell", "data-pos": pos, "data-index": index, style: `top:${top}px;left:${left}px;width:${layout.tile}px;height:${layout.tile}px` },
        img,
        score !== null ? h("span", { class: "tile-score" }, score.toFixed(3)) : null,
        h("button", { type: "button", class: "tile-star", "data-index": index, "aria-label": `Bookmark image ${pos + 1}` }),
      );
      this.tiles.set(pos, tile);
      frag.appendChild(tile);
    }
    this.canvas.appendChild(frag);
    this.updateCurrent();
    this.refreshStars();
  }

  refreshStars(): void {
    for (const t of this.tiles.values()) {
      const star = t.querySelector<HTMLElement>(".tile-star");
      if (!star) continue;
      const on = this.isBookmarked(Number(star.dataset.index));
      if (star.getAttribute("aria-pressed") === String(on)) continue;
      star.textContent = on ? "★" : "☆";
      star.setAttribute("aria-pressed", String(on));
    }
  }

  private updateCurrent(): void {
    for (const [pos, t] of this.tiles) {
      const cur = pos === this.store.pos;
      t.classList.toggle("current", cur);
      if (cur) t.setAttribute("aria-selected", "true");
      else t.removeAttribute("aria-selected");
    }
  }

  get renderedTiles(): number {
    return this.tiles.size;
  }
}
