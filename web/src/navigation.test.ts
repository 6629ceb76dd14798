import { describe, expect, it } from "vitest";
import { ShuffleBag, step } from "./navigation";

describe("step", () => {
  it("wraps around both ends when wrap is on", () => {
    expect(step(9, 1, 10, true)).toBe(0);
    expect(step(0, -1, 10, true)).toBe(9);
    expect(step(3, -25, 10, true)).toBe(8);
  });
  it("stops at the ends when wrap is off", () => {
    expect(step(9, 1, 10, false)).toBe(9);
    expect(step(0, -1, 10, false)).toBe(0);
  });
  it("handles an empty list", () => {
    expect(step(0, 1, 0, true)).toBe(0);
  });
});

describe("ShuffleBag", () => {
  it("visits every item once per cycle without an immediate repeat across cycles", () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const bag = new ShuffleBag(rnd);
    let last = -1;
    for (let cycle = 0; cycle < 20; cycle++) {
      const seen = new Set<number>();
      for (let i = 0; i < 7; i++) {
        const v = bag.next(7);
        expect(v).not.toBe(last);
        last = v;
        seen.add(v);
      }
      expect(seen.size).toBe(7);
    }
  });
  it("restarts when the list shrinks", () => {
    const bag = new ShuffleBag(() => 0.5);
    bag.next(10);
    for (let i = 0; i < 5; i++) expect(bag.next(3)).toBeLessThan(3);
  });
});
