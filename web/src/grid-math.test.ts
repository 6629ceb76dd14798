import { describe, expect, it } from "vitest";
import { computeLayout, scrollToReveal, tilePosition, visibleRange } from "./grid-math";

describe("computeLayout", () => {
  it("fits as many ~200 px tiles as the width allows, at least two", () => {
    const l = computeLayout(1280, 1000);
    expect(l.columns).toBe(6);
    expect(l.tile).toBe(Math.floor((1280 - 6 * 7) / 6));
    expect(l.rows).toBe(167);
    expect(l.totalHeight).toBe(167 * l.rowHeight + 6);
    expect(computeLayout(300, 10).columns).toBe(2);
    expect(computeLayout(0, 10).columns).toBe(2);
  });
  it("clamps the target size to 75..300", () => {
    expect(computeLayout(1200, 10, 10).columns).toBe(computeLayout(1200, 10, 75).columns);
    expect(computeLayout(1200, 10, 1000).columns).toBe(computeLayout(1200, 10, 300).columns);
  });
  it("handles an empty list", () => {
    expect(computeLayout(1000, 0).rows).toBe(0);
  });
});

describe("visibleRange", () => {
  it("renders only the rows in view plus overscan, for 100,000 items", () => {
    const l = computeLayout(1280, 100000);
    const r = visibleRange(l, 50000 * l.rowHeight / 6, 800, 100000, 2);
    const rowsInView = Math.ceil(800 / l.rowHeight) + 1;
    expect(r.end - r.start).toBeLessThanOrEqual((rowsInView + 4) * l.columns);
    expect(r.start % l.columns).toBe(0);
    const firstVisibleRow = Math.floor((50000 * l.rowHeight / 6) / l.rowHeight);
    expect(r.start).toBe((firstVisibleRow - 2) * l.columns);
  });
  it("is clamped at both ends", () => {
    const l = computeLayout(1000, 10);
    expect(visibleRange(l, 0, 800, 10)).toEqual({ start: 0, end: 10 });
    expect(visibleRange(l, 1e9, 800, 10).end).toBe(10);
    expect(visibleRange(l, -50, 800, 0)).toEqual({ start: 0, end: 0 });
  });
});

describe("tilePosition / scrollToReveal", () => {
  it("places tiles row-major with gaps", () => {
    const l = computeLayout(1000, 100);
    expect(tilePosition(l, 0)).toEqual({ top: 6, left: 6 });
    expect(tilePosition(l, l.columns + 1)).toEqual({ top: 6 + l.rowHeight, left: 6 + l.tile + 6 });
  });
  it("scrolls just enough to show an item", () => {
    const l = computeLayout(1000, 1000);
    expect(scrollToReveal(l, 0, 0, 600)).toBe(0);
    const i = 20 * l.columns; // row 20
    const top = scrollToReveal(l, i, 0, 600);
    expect(top).toBe(6 + 20 * l.rowHeight + l.tile + 6 - 600);
    expect(scrollToReveal(l, i, top, 600)).toBe(top); // already visible: unchanged
    expect(scrollToReveal(l, 0, top, 600)).toBe(0);
  });
});
