import { describe, expect, it } from "vitest";
import { Store } from "./store";

describe("Store", () => {
  it("browses the album, then search results with scores, then returns to the image shown", () => {
    const s = new Store({ delay: 5, mode: "chronological", wrap: true });
    const changes: string[] = [];
    s.on((c) => changes.push(c));
    s.total = 10;
    s.setPosition(4);
    expect(s.currentIndex).toBe(4);
    s.setResults([{ index: 7, score: 0.3 }, { index: 2, score: 0.2 }], "dog");
    expect([s.length, s.pos, s.currentIndex, s.scoreAt(0)]).toEqual([2, 0, 7, 0.3]);
    s.move(-1);
    expect(s.currentIndex).toBe(2);
    s.setResults(null);
    expect([s.length, s.pos, s.scoreAt(0)]).toEqual([10, 2, null]);
    expect(changes).toEqual(["position", "list", "position", "list"]);
  });
  it("clamps positions and does not emit when nothing changes", () => {
    const s = new Store({ delay: 5, mode: "chronological", wrap: false });
    s.total = 3;
    let n = 0;
    s.on(() => n++);
    s.setPosition(99);
    expect(s.pos).toBe(2);
    s.move(1);
    expect([s.pos, n]).toEqual([2, 1]);
  });

  it("keeps the position after a delete so the next image slides in, renumbering the list", () => {
    const s = new Store({ delay: 5, mode: "chronological", wrap: true });
    s.total = 6;
    s.setPosition(3);
    s.applyDelete([3], 5);
    expect([s.pos, s.currentIndex, s.length]).toEqual([3, 3, 5]);
    s.setPosition(4);
    s.applyDelete([4], 4);
    expect([s.pos, s.currentIndex]).toEqual([3, 3]);
    s.setResults([{ index: 0 }, { index: 3 }, { index: 1, score: 0.5 }], "Bookmarks", "bookmarks", 1);
    expect([s.listKind, s.currentIndex, s.scoreAt(0), s.scoreAt(2)]).toEqual(["bookmarks", 3, null, 0.5]);
    s.applyDelete([0, 3], 2);
    expect(s.results).toEqual([{ index: 0, score: 0.5 }]);
    expect([s.pos, s.currentIndex, s.positionOf(0), s.positionOf(7)]).toEqual([0, 0, 0, -1]);
  });
});
