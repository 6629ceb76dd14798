import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, parseSlideshowConfig } from "./config";

describe("parseSlideshowConfig", () => {
  it("reads the server's object", () => {
    const c = parseSlideshowConfig({ currentDelay: 9, mode: "random", highWaterMark: 30, album: "fam", albumLocked: true, multipleLockedAlbums: false, version: "0.1.0", assetBase: "static/v0.1.0.abc/" });
    expect(c).toEqual({ currentDelay: 9, mode: "random", highWaterMark: 30, album: "fam", albumLocked: true, multipleLockedAlbums: false, version: "0.1.0", assetBase: "static/v0.1.0.abc/" });
  });

  it("turns the server's nulls into defaults", () => {
    const c = parseSlideshowConfig({ currentDelay: null, mode: null, highWaterMark: null, album: null, albumLocked: false, multipleLockedAlbums: false, version: "0.1.0", assetBase: "x/" });
    expect(c.currentDelay).toBe(5);
    expect(c.mode).toBe("chronological");
    expect(c.highWaterMark).toBe(20);
    expect(c.album).toBeNull();
  });

  it("survives a missing or malformed config", () => {
    expect(parseSlideshowConfig(undefined)).toEqual(DEFAULT_CONFIG);
    expect(parseSlideshowConfig("nonsense")).toEqual(DEFAULT_CONFIG);
    const c = parseSlideshowConfig({ currentDelay: -3, mode: "sideways", album: "", albumLocked: "yes", highWaterMark: 1e9 });
    expect(c.currentDelay).toBe(5);
    expect(c.mode).toBe("chronological");
    expect(c.album).toBeNull();
    expect(c.albumLocked).toBe(false);
    expect(c.highWaterMark).toBe(1000);
  });
});
