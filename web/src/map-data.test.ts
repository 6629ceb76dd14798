import { describe, expect, it } from "vitest";
import { PALETTE, prepareMapPoints, syntheticPoints, UNCLUSTERED } from "./map-data";

describe("prepareMapPoints", () => {
  it("centres and scales into [-0.95, 0.95] keeping the aspect ratio", () => {
    const m = prepareMapPoints([
      { x: 10, y: 5, index: 7, cluster: 0 },
      { x: 20, y: 6, index: 3, cluster: -1 },
      { x: 15, y: 5.5, index: 0, cluster: 25 },
    ]);
    expect(m.x[0]).toBeCloseTo(-0.95, 6);
    expect(m.x[1]).toBeCloseTo(0.95, 6);
    expect(m.x[2]).toBeCloseTo(0, 6);
    expect(m.y[0]).toBeCloseTo(-0.095, 6);
    expect(m.y[1]).toBeCloseTo(0.095, 6);
    expect(Array.from(m.category)).toEqual([1, 0, 1 + (25 % PALETTE.length)]);
    expect(m.colors[0]).toBe(UNCLUSTERED);
    expect(m.byIndex.get(3)).toBe(1);
    expect(Array.from(m.indices)).toEqual([7, 3, 0]);
  });
  it("handles a single point and an empty map", () => {
    expect(prepareMapPoints([{ x: 3, y: 3, index: 0, cluster: 1 }]).x[0]).toBeCloseTo(0, 9);
    expect(prepareMapPoints([]).x.length).toBe(0);
  });
});

describe("syntheticPoints", () => {
  it("is deterministic and clustered", () => {
    const a = syntheticPoints(1000);
    expect(a).toEqual(syntheticPoints(1000));
    expect(new Set(a.map((p) => p.cluster)).size).toBeGreaterThan(5);
    expect(a.filter((p) => p.cluster === -1).length).toBeGreaterThan(50);
  });
});
