import { describe, expect, it } from "vitest";
import { BackStack } from "./back-stack";

describe("BackStack", () => {
  it("pops the newest position that differs from the current one", () => {
    const b = new BackStack();
    b.push(3);
    b.push(3);
    b.push(9);
    expect(b.size).toBe(2);
    expect(b.pop(9)).toBe(3);
    expect(b.pop(3)).toBeNull();
    b.push(-1);
    expect(b.size).toBe(0);
  });
  it("keeps at most `capacity` entries, dropping the oldest", () => {
    const b = new BackStack(3);
    for (const i of [1, 2, 3, 4]) b.push(i);
    expect(b.recent(2)).toEqual([4, 3]);
    expect(b.recent(12)).toEqual([4, 3, 2]);
    expect([b.pop(0), b.pop(0), b.pop(0), b.pop(0)]).toEqual([4, 3, 2, null]);
  });
  it("renumbers after deletions and trims after the index shrinks", () => {
    const b = new BackStack();
    for (const i of [2, 5, 8]) b.push(i);
    b.afterDelete([5]);
    expect(b.size).toBe(2);
    b.trim(5);
    expect(b.pop(-1)).toBe(2);
  });
});
