import { describe, expect, it } from "vitest";
import type { IndexProgress } from "./api";
import { describeProgress, formatEta, formatPosition, isRunning } from "./format";

const base: IndexProgress = {
  album_key: "fam", status: "idle", current_step: "No operation in progress", images_processed: 0, total_images: 1,
  progress_percentage: 0, elapsed_time: 0, estimated_time_remaining: null, error_message: null, warning_message: null,
};

describe("formatEta", () => {
  it("formats seconds, minutes and hours", () => {
    expect(formatEta(0)).toBe("0s");
    expect(formatEta(44.6)).toBe("45s");
    expect(formatEta(125)).toBe("2m 5s");
    expect(formatEta(3720)).toBe("1h 2m");
    expect(formatEta(90061)).toBe("25h 1m");
  });
  it("is empty for unknown ETAs", () => {
    expect(formatEta(null)).toBe("");
    expect(formatEta(undefined)).toBe("");
    expect(formatEta(-1)).toBe("");
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe("");
  });
});

describe("describeProgress", () => {
  it("shows count and ETA while indexing", () => {
    const v = describeProgress({ ...base, status: "indexing", current_step: "Processing a.jpg", images_processed: 30, total_images: 120, progress_percentage: 25, estimated_time_remaining: 3720 });
    expect(v).toEqual({ tone: "indexing", text: "Processing a.jpg (30/120)", eta: "Estimated time remaining: 1h 2m", percent: 25 });
  });
  it("has no ETA before the first image", () => {
    expect(describeProgress({ ...base, status: "indexing", current_step: "Starting indexing" }).eta).toBe("");
  });
  it("is indeterminate while scanning and mapping", () => {
    expect(describeProgress({ ...base, status: "scanning", current_step: "Checking new image files (100 of 300)..." }).percent).toBeNull();
    expect(describeProgress({ ...base, status: "mapping" }).text).toBe("Generating image map…");
  });
  it("reports errors, cancellation and completion warnings", () => {
    expect(describeProgress({ ...base, status: "error", error_message: "Indexing cancelled by user" }).text).toBe("Error: Indexing cancelled by user");
    const w = describeProgress({ ...base, status: "completed", current_step: "Indexing completed successfully", warning_message: "1 file could not be read and was skipped." });
    expect(w.tone).toBe("warning");
    expect(describeProgress({ ...base, status: "completed", current_step: "Indexing completed successfully" }).tone).toBe("done");
  });
  it("clamps percentages", () => {
    expect(describeProgress({ ...base, status: "indexing", progress_percentage: 140 }).percent).toBe(100);
  });
  it("knows which statuses are running", () => {
    for (const s of ["scanning", "downloading", "indexing", "mapping", "curating"]) expect(isRunning({ ...base, status: s })).toBe(true);
    for (const s of ["idle", "completed", "error"]) expect(isRunning({ ...base, status: s })).toBe(false);
    expect(isRunning(null)).toBe(false);
  });
});

describe("formatPosition", () => {
  it("shows position, total and score", () => {
    expect(formatPosition(0, 120)).toBe("1/120");
    expect(formatPosition(2, 100, 0.29061)).toBe("3/100 (score=0.2906)");
    expect(formatPosition(0, 0)).toBe("0/0");
  });
});
