// Back stack: the album indices that were on screen before each coarse jump (search hit, map
// dot or cluster, bookmark list, seek-slider release), newest last, at most 50. Back pops
// one; the 12 newest are offered in the Back button's flyout; an album switch clears it;
// deletions renumber it. Pure, unit-tested.
import { renumberAfterDelete } from "./bookmarks";

export class BackStack {
  private entries: number[] = [];

  constructor(private readonly capacity = 50) {}

  get size(): number {
    return this.entries.length;
  }

  // Records `index` (the image shown before a jump); repeats of the newest entry are skipped.
  push(index: number): void {
    if (index < 0 || this.entries[this.entries.length - 1] === index) return;
    this.entries.push(index);
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  // The newest entry that differs from `current`, removed; null when there is none.
  pop(current: number): number | null {
    while (this.entries.length) {
      const i = this.entries.pop()!;
      if (i !== current) return i;
    }
    return null;
  }

  // Up to n entries, newest first (for the recent-positions flyout).
  recent(n: number): number[] {
    return this.entries.slice(-n).reverse();
  }

  clear(): void {
    this.entries = [];
  }

  afterDelete(deleted: number[]): void {
    this.entries = renumberAfterDelete(this.entries, deleted);
  }

  trim(total: number): void {
    this.entries = this.entries.filter((i) => i < total);
  }
}
