// Turns a get_metadata JSON dict into display rows (pure, unit-tested): the EXIF table in
// PhotoMapAI's order then the remaining tags, GPS position with a map link, and InvokeAI
// generation details from photomap_invokeai. Values are plain text; nothing is HTML.
export interface Row {
  label: string;
  value: string;
}

export interface MetadataView {
  exif: Row[];
  gps: { lat: number; lon: number; alt: number | null; link: string } | null;
  invoke: Row[];
  loras: string[];
}

const EXIF_ORDER: ReadonlyArray<[string, string]> = [
  ["DateTimeOriginal", "Date Taken"],
  ["DateTime", "Date/Time"],
  ["Make", "Camera Make"],
  ["Model", "Camera Model"],
  ["LensModel", "Lens"],
  ["Software", "Software"],
  ["FNumber", "Aperture"],
  ["ExposureTime", "Shutter Speed"],
  ["ISOSpeedRatings", "ISO"],
  ["FocalLength", "Focal Length"],
  ["Flash", "Flash"],
  ["WhiteBalance", "White Balance"],
  ["Orientation", "Orientation"],
  ["ExifImageWidth", "Width"],
  ["ExifImageHeight", "Height"],
];

const SKIP = /^(GPS|photomap_|Unknown|MakerNote|ExifOffset|GPSInfo|JPEGInterchangeFormat)/;

function fmtNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

export function formatExifValue(key: string, v: unknown): string {
  if (typeof v === "number") {
    if (key === "FNumber") return `f/${fmtNumber(v)}`;
    if (key === "ExposureTime") return v > 0 && v < 1 ? `1/${Math.round(1 / v)} s` : `${fmtNumber(v)} s`;
    if (key === "FocalLength") return `${fmtNumber(v)} mm`;
    return fmtNumber(v);
  }
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "yes" : "no";
  return JSON.stringify(v);
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function buildMetadataView(md: Record<string, unknown>): MetadataView {
  const exif: Row[] = [];
  const seen = new Set<string>();
  for (const [key, label] of EXIF_ORDER) {
    if (md[key] !== undefined && md[key] !== null && md[key] !== "") {
      exif.push({ label, value: formatExifValue(key, md[key]) });
      seen.add(key);
    }
  }
  const inv = md.photomap_invokeai as Record<string, unknown> | undefined;
  const isInvoke = !!inv && typeof inv === "object";
  if (!isInvoke) {
    for (const key of Object.keys(md).sort()) {
      const v = md[key];
      if (seen.has(key) || SKIP.test(key) || v === null || typeof v === "object") continue;
      exif.push({ label: key, value: formatExifValue(key, v) });
    }
  }
  const g = (md.photomap_gps as Record<string, unknown> | undefined) ?? {};
  const lat = num(g.latitude) ?? num(md.GPSLatitudeDecimal);
  const lon = num(g.longitude) ?? num(md.GPSLongitudeDecimal);
  const gps =
    lat !== null && lon !== null
      ? {
          lat,
          lon,
          alt: num(g.altitude_m) ?? num(md.GPSAltitude),
          link: `https://www.openstreetmap.org/?mlat=${lat.toFixed(6)}&mlon=${lon.toFixed(6)}#map=15/${lat.toFixed(6)}/${lon.toFixed(6)}`,
        }
      : null;
  const invoke: Row[] = [];
  const loras: string[] = [];
  if (isInvoke) {
    const add = (label: string, v: unknown) => {
      if (v === null || v === undefined || v === "") return;
      // A nested value (malformed metadata) shows as JSON, not as "[object Object]".
      const scalar = typeof v === "string" || typeof v === "number" || typeof v === "boolean" || typeof v === "bigint";
      invoke.push({ label, value: scalar ? String(v) : JSON.stringify(v) });
    };
    add("Positive Prompt", inv.positive_prompt);
    add("Negative Prompt", inv.negative_prompt);
    add("Model", inv.model_name);
    add("Seed", inv.seed);
    add("Steps", inv.steps);
    add("CFG Scale", inv.cfg_scale);
    add("Scheduler", inv.scheduler);
    add("InvokeAI version", inv.app_version);
    if (Array.isArray(inv.loras)) {
      for (const l of inv.loras as Array<Record<string, unknown>>) {
        if (l && typeof l.model_name === "string") loras.push(typeof l.weight === "number" ? `${l.model_name} (${l.weight})` : l.model_name);
      }
    }
  }
  return { exif, gps, invoke, loras };
}
