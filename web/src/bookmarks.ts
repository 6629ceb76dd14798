// Bookmarks ("favorites"), kept client-side like PhotoMapAI: per album in
// localStorage["photomap_bookmarks_<album>"] as a JSON array of sorted album indices
// (backend-spec §10.1). Renumbered after deletions. Storage failures (private mode, quota) keep
// the bookmarks for this page only.
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const bookmarkKey = (album: string): string => `photomap_bookmarks_${album}`;

// Album indices after deleting `deleted` (indices before the delete): deleted ones vanish, later
// ones move down by the number of deleted indices below them.
export function renumberAfterDelete(indices: number[], deleted: number[]): number[] {
  const gone = [...new Set(deleted)].sort((a, b) => a - b);
  const below = (i: number) => {
    let lo = 0;
    let hi = gone.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (gone[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const goneSet = new Set(gone);
  return indices.filter((i) => !goneSet.has(i)).map((i) => i - below(i));
}

export class Bookmarks {
  private album = "";
  private set = new Set<number>();
  private listeners = new Set<() => void>();

  constructor(private readonly storage: KeyValueStorage | null) {}

  load(album: string): void {
    this.album = album;
    this.set = new Set();
    try {
      const raw = JSON.parse(this.storage?.getItem(bookmarkKey(album)) ?? "[]") as unknown;
      if (Array.isArray(raw)) for (const v of raw as unknown[]) if (typeof v === "number" && Number.isInteger(v) && v >= 0) this.set.add(v);
    } catch {
      // a damaged entry counts as no bookmarks
    }
    this.changed(false);
  }

  onChange(fn: () => void): void {
    this.listeners.add(fn);
  }

  get size(): number {
    return this.set.size;
  }

  has(index: number): boolean {
    return this.set.has(index);
  }

  // Sorted album indices.
  list(): number[] {
    return [...this.set].sort((a, b) => a - b);
  }

  // Returns whether `index` is bookmarked afterwards.
  toggle(index: number): boolean {
    if (index < 0) return false;
    if (this.set.has(index)) this.set.delete(index);
    else this.set.add(index);
    this.changed(true);
    return this.set.has(index);
  }

  addAll(indices: number[]): void {
    for (const i of indices) if (i >= 0) this.set.add(i);
    this.changed(true);
  }

  clear(): void {
    this.set.clear();
    this.changed(true);
  }

  // Drops bookmarks at or past `total` (the index shrank).
  trim(total: number): void {
    const before = this.set.size;
    for (const i of [...this.set]) if (i >= total) this.set.delete(i);
    if (this.set.size !== before) this.changed(true);
  }

  afterDelete(deleted: number[]): void {
    this.set = new Set(renumberAfterDelete(this.list(), deleted));
    this.changed(true);
  }

  private changed(persist: boolean): void {
    if (persist && this.album) {
      try {
        if (this.set.size) this.storage?.setItem(bookmarkKey(this.album), JSON.stringify(this.list()));
        else this.storage?.removeItem(bookmarkKey(this.album));
      } catch {
        // keep them in memory
      }
    }
    for (const fn of [...this.listeners]) fn();
  }
}
