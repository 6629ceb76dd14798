// Semantic-map data (pure, unit-tested): umap_data/{k} points → normalised [-1, 1] coordinates
// (aspect kept) plus a categorical colour per cluster (unclustered = -1 → faint grey).
export interface UmapPoint {
  x: number;
  y: number;
  index: number;
  cluster: number;
  media?: string;
}

export const PALETTE = [
  "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6", "#bcf60c",
  "#fabebe", "#008080", "#e6beff", "#9a6324", "#fffac8", "#800000", "#aaffc3", "#808000",
  "#ffd8b1", "#000075", "#ffe119", "#a9a9a9",
];
export const UNCLUSTERED = "#5a5a5a";

export interface MapPoints {
  x: Float32Array;
  y: Float32Array;
  category: Float32Array; // colour slot: 0 = unclustered, 1.. = palette entries
  indices: Int32Array; // album index per point
  byIndex: Map<number, number>; // album index → point number
  colors: string[];
}

export function prepareMapPoints(points: UmapPoint[]): MapPoints {
  const n = points.length;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const p of points) {
    if (p.x < minX) minX = p.x;
    if (p.x > maxX) maxX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.y > maxY) maxY = p.y;
  }
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const category = new Float32Array(n);
  const indices = new Int32Array(n);
  const byIndex = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const p = points[i];
    x[i] = ((p.x - cx) / span) * 1.9;
    y[i] = ((p.y - cy) / span) * 1.9;
    category[i] = p.cluster < 0 ? 0 : 1 + (p.cluster % PALETTE.length);
    indices[i] = p.index;
    byIndex.set(p.index, i);
  }
  return { x, y, category, indices, byIndex, colors: [UNCLUSTERED, ...PALETTE] };
}

// Synthetic clustered points for the map benchmark (deterministic).
export function syntheticPoints(n: number, clusters = 12): UmapPoint[] {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
  const centres = Array.from({ length: clusters }, () => [rnd() * 20 - 10, rnd() * 20 - 10]);
  const out: UmapPoint[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rnd() * clusters);
    const r = Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * 1.2;
    const a = rnd() * 2 * Math.PI;
    out.push({ x: centres[c][0] + r * Math.cos(a), y: centres[c][1] + r * Math.sin(a), index: i, cluster: rnd() < 0.1 ? -1 : c });
  }
  return out;
}
