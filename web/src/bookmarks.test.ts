import { describe, expect, it } from "vitest";
import { bookmarkKey, Bookmarks, renumberAfterDelete, type KeyValueStorage } from "./bookmarks";

class MemoryStorage implements KeyValueStorage {
  data = new Map<string, string>();
  getItem = (k: string) => this.data.get(k) ?? null;
  setItem = (k: string, v: string) => void this.data.set(k, v);
  removeItem = (k: string) => void this.data.delete(k);
}

describe("Bookmarks", () => {
  it("toggles, lists sorted, and persists per album under PhotoMapAI's key", () => {
    const st = new MemoryStorage();
    const b = new Bookmarks(st);
    let events = 0;
    b.onChange(() => events++);
    b.load("fam");
    expect(b.toggle(5)).toBe(true);
    expect(b.toggle(2)).toBe(true);
    expect(b.list()).toEqual([2, 5]);
    expect(st.getItem("photomap_bookmarks_fam")).toBe("[2,5]");
    expect(b.toggle(5)).toBe(false);
    expect(st.getItem(bookmarkKey("fam"))).toBe("[2]");
    b.load("other");
    expect(b.size).toBe(0);
    b.toggle(1);
    b.load("fam");
    expect(b.list()).toEqual([2]);
    expect(st.getItem(bookmarkKey("other"))).toBe("[1]");
    b.clear();
    expect(st.getItem(bookmarkKey("fam"))).toBeNull();
    expect(events).toBeGreaterThan(5);
  });
  it("ignores damaged storage and negative or fractional entries", () => {
    const st = new MemoryStorage();
    st.setItem(bookmarkKey("a"), "not json");
    const b = new Bookmarks(st);
    b.load("a");
    expect(b.size).toBe(0);
    st.setItem(bookmarkKey("a"), '[3, -1, 2.5, "7", 1]');
    b.load("a");
    expect(b.list()).toEqual([1, 3]);
    const noStorage = new Bookmarks(null);
    noStorage.load("a");
    expect(noStorage.toggle(4)).toBe(true);
  });
  it("renumbers after a delete and trims past the end", () => {
    expect(renumberAfterDelete([0, 3, 5, 9], [3, 4, 4])).toEqual([0, 3, 7]);
    expect(renumberAfterDelete([1, 2], [])).toEqual([1, 2]);
    const b = new Bookmarks(new MemoryStorage());
    b.load("a");
    b.addAll([1, 4, 8]);
    b.afterDelete([0, 4]);
    expect(b.list()).toEqual([0, 6]);
    b.trim(5);
    expect(b.list()).toEqual([0]);
  });
});
