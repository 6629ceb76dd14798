// Application state and its change notifications. The browsing list is either the album
// (positions 0..total-1 map to the index's sorted order) or the current search results.
import type { Album, SearchResult } from "./api";
import type { SlideshowMode } from "./config";
import { step } from "./navigation";

export type Change = "albums" | "album" | "list" | "position" | "view" | "settings";
export type View = "single" | "grid";

export interface Settings {
  delay: number;
  mode: SlideshowMode;
  wrap: boolean;
}

export class Store {
  albums: Album[] = [];
  album: Album | null = null;
  total = 0; // images in the album's index
  indexState: "unknown" | "missing" | "ready" | "unavailable" = "unknown";
  results: SearchResult[] | null = null;
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
    return this.results ? (this.results[pos]?.score ?? null) : null;
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

  setResults(results: SearchResult[] | null, label = ""): void {
    const keepIndex = this.currentIndex;
    this.results = results;
    this.searchLabel = results ? label : "";
    // A search starts at its best hit; clearing returns to the image being shown.
    this.pos = results ? 0 : Math.max(0, Math.min(keepIndex, this.total - 1));
    this.emit("list");
  }

  setView(v: View): void {
    if (v !== this.view) {
      this.view = v;
      this.emit("view");
    }
  }
}
