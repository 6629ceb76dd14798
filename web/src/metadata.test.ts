import { describe, expect, it } from "vitest";
import { buildMetadataView, formatExifValue } from "./metadata";

describe("buildMetadataView", () => {
  it("orders the EXIF table like PhotoMapAI and formats photo values", () => {
    const v = buildMetadataView({
      Model: "X100V", Make: "FUJIFILM", DateTimeOriginal: "2021:07:14 19:42:05", FNumber: 8, ExposureTime: 0.004,
      FocalLength: 23, ISOSpeedRatings: 160, Artist: "Jo", photomap_rationals: { FNumber: [8, 1] }, MakerNote: "junk", GPSLatitude: 1,
    });
    expect(v.exif.map((r) => r.label)).toEqual(["Date Taken", "Camera Make", "Camera Model", "Aperture", "Shutter Speed", "ISO", "Focal Length", "Artist"]);
    expect(v.exif.find((r) => r.label === "Aperture")?.value).toBe("f/8");
    expect(v.exif.find((r) => r.label === "Shutter Speed")?.value).toBe("1/250 s");
    expect(v.exif.find((r) => r.label === "Focal Length")?.value).toBe("23 mm");
    expect(v.gps).toBeNull();
  });

  it("builds the GPS link from photomap_gps (signed altitude) or the decimal tags", () => {
    const v = buildMetadataView({ photomap_gps: { latitude: 48.8566, longitude: -2.35, altitude_m: -12 } });
    expect(v.gps?.alt).toBe(-12);
    expect(v.gps?.link).toBe("https://www.openstreetmap.org/?mlat=48.856600&mlon=-2.350000#map=15/48.856600/-2.350000");
    expect(buildMetadataView({ GPSLatitudeDecimal: 1.5, GPSLongitudeDecimal: 2.5 }).gps?.lat).toBe(1.5);
  });

  it("shows InvokeAI prompts, model, seed and LoRAs", () => {
    const v = buildMetadataView({
      app_version: "5.6.0",
      photomap_invokeai: { positive_prompt: "a dog in a hat", negative_prompt: "ugly", model_name: "flux-schnell", seed: 100, steps: null, loras: [{ model_name: "dog_lora", weight: 0.6 }] },
    });
    expect(v.invoke).toEqual([
      { label: "Positive Prompt", value: "a dog in a hat" },
      { label: "Negative Prompt", value: "ugly" },
      { label: "Model", value: "flux-schnell" },
      { label: "Seed", value: "100" },
    ]);
    expect(v.loras).toEqual(["dog_lora (0.6)"]);
    expect(v.exif).toEqual([]);
  });

  it("shows a nested InvokeAI value as JSON rather than [object Object]", () => {
    const v = buildMetadataView({ photomap_invokeai: { model_name: { name: "flux", hash: "abc" }, cfg_scale: 3.5 } });
    expect(v.invoke).toEqual([
      { label: "Model", value: '{"name":"flux","hash":"abc"}' },
      { label: "CFG Scale", value: "3.5" },
    ]);
  });

  it("keeps markup in values as text (no HTML is ever produced)", () => {
    const v = buildMetadataView({ Artist: "<img src=x onerror=alert(1)>" });
    expect(v.exif[0].value).toBe("<img src=x onerror=alert(1)>");
  });

  it("formats odd values", () => {
    expect(formatExifValue("ExposureTime", 2)).toBe("2 s");
    expect(formatExifValue("X", 1 / 3)).toBe("0.333333");
    expect(formatExifValue("X", true)).toBe("yes");
  });
});
