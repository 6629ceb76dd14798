// window.slideshowConfig, injected by the server into index.html (docs/api.md difference 10),
// parsed defensively: anything missing or of the wrong type falls back to a default.
export type SlideshowMode = "chronological" | "random";

export interface SlideshowConfig {
  currentDelay: number; // seconds between slides
  mode: SlideshowMode;
  highWaterMark: number;
  album: string | null;
  albumLocked: boolean;
  multipleLockedAlbums: boolean;
  version: string;
  assetBase: string;
}

export const DEFAULT_CONFIG: SlideshowConfig = {
  currentDelay: 5,
  mode: "chronological",
  highWaterMark: 20,
  album: null,
  albumLocked: false,
  multipleLockedAlbums: false,
  version: "",
  assetBase: "",
};

function posInt(v: unknown, fallback: number, max: number): number {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.min(Math.floor(v), max) : fallback;
}

export function parseSlideshowConfig(raw: unknown): SlideshowConfig {
  const o = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const mode = o.mode === "random" || o.mode === "shuffle" ? "random" : "chronological";
  return {
    currentDelay: posInt(o.currentDelay, DEFAULT_CONFIG.currentDelay, 3600),
    mode,
    highWaterMark: posInt(o.highWaterMark, DEFAULT_CONFIG.highWaterMark, 1000),
    album: typeof o.album === "string" && o.album !== "" ? o.album : null,
    albumLocked: o.albumLocked === true,
    multipleLockedAlbums: o.multipleLockedAlbums === true,
    version: typeof o.version === "string" ? o.version : "",
    assetBase: typeof o.assetBase === "string" ? o.assetBase : "",
  };
}
