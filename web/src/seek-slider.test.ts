import { describe, expect, it } from "vitest";
import { dayMonthYear, monthYear, tickPositions } from "./seek-slider";

describe("seek slider ticks", () => {
  it("spreads 10 ticks from the first to the last position, whatever the list size", () => {
    expect(tickPositions(0)).toEqual([]);
    expect(tickPositions(3)).toEqual([0, 1, 2]);
    const t = tickPositions(100000);
    expect(t.length).toBe(10);
    expect(t[0]).toBe(0);
    expect(t[9]).toBe(99999);
    expect(t.every((v, i) => i === 0 || v > t[i - 1])).toBe(true);
  });
  it("formats dates as MM/YYYY and DD/MM/YY, and unknown dates as empty", () => {
    const t = new Date(2021, 6, 4, 12).getTime() / 1000;
    expect(monthYear(t)).toBe("07/2021");
    expect(dayMonthYear(t)).toBe("04/07/21");
    expect(monthYear(0)).toBe("");
    expect(dayMonthYear(NaN)).toBe("");
  });
});
