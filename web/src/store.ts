// Application state and its change notifications. The browsing list is either the album
// (positions 0..total-1 map to the index's sorted order) or the current search results.
import type { Album, ListItem } from "./api";
import type { SlideshowMode } from "./config";
import { renumberAfterDelete } from "./bookmarks";
import { step } from "./navigation";

export type Change = "albums" | "album" | "list" | "position" | "view" | "settings";
export type View = "single" | "grid";
// What the browsing list holds when it is not the album.
export type ListKind = "search" | "cluster" | "bookmarks";

export interface Settings {
  delay: number;
  mode: SlideshowMode;
  wrap: boolean;
  trash?: boolean; // delete moves files to the trash (default) instead of unlinking them
  confirmDelete?: boolean; // ask before deleting (default true)
}

export class Store {
  albums: Album[] = [];
  album: Album | null = null;
  total = 0; // images in the album's index
  indexState: "unknown" | "missing" | "ready" | "unavailable" = "unknown";
  results: ListItem[] | null = null;
  listKind: ListKind | null = null;
  searchLabel = "";
  pos = 0;
  view: View = "single";
  settings: Settings;
  private listeners = new Set<(c: Change) => void>();

  constructor(settings: Settings) {
    this.settings = settings;
  }

  on(fn: (c: Change) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(c: Change): void {
    for (const fn of [...this.listeners]) fn(c);
  }

  get length(): number {
    return this.results ? this.results.length : this.total;
  }

  indexAt(pos: number): number {
    return this.results ? (this.results[pos]?.index ?? -1) : pos;
  }

  scoreAt(pos: number): number | null {
    const s = this.results?.[pos]?.score;
    return typeof s === "number" ? s : null;
  }

  get currentIndex(): number {
    return this.length > 0 ? this.indexAt(this.pos) : -1;
  }

  setPosition(pos: number): void {
    const n = this.length;
    const p = n > 0 ? Math.max(0, Math.min(n - 1, pos)) : 0;
    if (p === this.pos) return;
    this.pos = p;
    this.emit("position");
  }

  move(delta: number): void {
    this.setPosition(step(this.pos, delta, this.length, this.settings.wrap));
  }

  setResults(results: ListItem[] | null, label = "", kind: ListKind = "search", startPos = 0): void {
    const keepIndex = this.currentIndex;
    this.results = results;
    this.listKind = results ? kind : null;
    this.searchLabel = results ? label : "";
    // A search starts at its best hit; clearing returns to the image being shown.
    this.pos = results ? Math.max(0, Math.min(startPos, results.length - 1)) : Math.max(0, Math.min(keepIndex, this.total - 1));
    this.emit("list");
  }

  // Position of album index `index` in the current list, or -1.
  positionOf(index: number): number {
    if (!this.results) return index >= 0 && index < this.total ? index : -1;
    return this.results.findIndex((r) => r.index === index);
  }

  // After the server deleted album indices `deleted` (numbered before the delete) and the index
  // now holds `total`: the list loses those images, later indices move down, and the position
  // stays put so the next image slides in.
  applyDelete(deleted: number[], total: number): void {
    const gone = new Set(deleted);
    const oldPos = this.pos;
    if (this.results) {
      const kept = this.results.filter((r) => !gone.has(r.index));
      const before = this.results.slice(0, oldPos).filter((r) => !gone.has(r.index)).length;
      const renumbered = renumberAfterDelete(kept.map((r) => r.index), deleted);
      this.results = kept.map((r, i) => ({ ...r, index: renumbered[i] }));
      this.pos = before;
    } else {
      this.pos = oldPos - deleted.filter((i) => i < oldPos).length;
    }
    this.total = total;
    this.pos = Math.max(0, Math.min(this.pos, this.length - 1));
    this.emit("list");
  }

  setView(v: View): void {
    if (v !== this.view) {
      this.view = v;
      this.emit("view");
    }
  }
}
