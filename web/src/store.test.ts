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
});
