// Semantic-map data (pure, unit-tested): umap_data/{k} points → normalised [-1, 1] coordinates
// (aspect kept) plus a categorical colour per cluster (unclustered = -1 → faint grey); the join
// with cluster_labels/{k} (label at the mean of the cluster's points, medoid as landmark), the
// Images/Videos filter, a cluster's members as a browsing list, and camera → screen projection.
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
    category[i] = p.cluster < 0 ? 0 : 1 + (p.cluster % PALETTE.length);  // = clusterColor()
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

export function clusterColor(cluster: number): string {
  return cluster < 0 ? UNCLUSTERED : PALETTE[cluster % PALETTE.length];
}

export interface ClusterLabel {
  label: string;
  alternates: string[];
  score: number;
  medoid: number | null; // album index of the medoid image, when the server sent one
}

// The server's reason for an empty label set ({"labels":{}, "message":"…"}, e.g. an album indexed
// with the classic:v1 encoder, which has no text tower), or "" when it gives none.
export function clusterLabelsMessage(body: unknown): string {
  const m = (body as { message?: unknown } | null)?.message;
  return typeof m === "string" ? m.trim() : "";
}

// Reads {"labels":{"<id>":{label, alternates, score, medoid_index}}} defensively: entries
// without a string label or with a non-integer id are dropped.
export function parseClusterLabels(body: unknown): Map<number, ClusterLabel> {
  const out = new Map<number, ClusterLabel>();
  const labels = (body as { labels?: unknown } | null)?.labels;
  if (!labels || typeof labels !== "object") return out;
  for (const [key, v] of Object.entries(labels as Record<string, unknown>)) {
    const id = Number(key);
    const e = v as { label?: unknown; alternates?: unknown; score?: unknown; medoid_index?: unknown } | null;
    if (!Number.isInteger(id) || id < 0 || !e || typeof e.label !== "string") continue;
    out.set(id, {
      label: e.label,
      alternates: Array.isArray(e.alternates) ? e.alternates.filter((a): a is string => typeof a === "string") : [],
      score: typeof e.score === "number" ? e.score : NaN,
      medoid: Number.isInteger(e.medoid_index) && (e.medoid_index as number) >= 0 ? (e.medoid_index as number) : null,
    });
  }
  return out;
}

export interface ClusterStats {
  clusters: number;
  largest: number;
  smallest: number;
  unclustered: number;
  total: number;
}

// The ⓘ numbers under the map: cluster count, largest and smallest cluster, unclustered, total.
export function clusterStats(points: UmapPoint[]): ClusterStats {
  const sizes = new Map<number, number>();
  let unclustered = 0;
  for (const p of points) {
    if (p.cluster < 0) unclustered++;
    else sizes.set(p.cluster, (sizes.get(p.cluster) ?? 0) + 1);
  }
  const v = [...sizes.values()];
  return { clusters: v.length, largest: v.length ? Math.max(...v) : 0, smallest: v.length ? Math.min(...v) : 0, unclustered, total: points.length };
}

// The name of a cluster as the pill and the hover card show it.
export function clusterCaption(cluster: number, label: ClusterLabel | null | undefined): string {
  if (cluster < 0) return "Unclustered";
  return label ? `Cluster ${cluster} · "${label.label}"` : `Cluster ${cluster}`;
}

export type MediaShown = "image" | "video" | "both";

// Point numbers shown for a media choice; null = all of them (no filter needed).
export function mediaFilter(points: UmapPoint[], shown: MediaShown): number[] | null {
  if (shown === "both") return null;
  const out: number[] = [];
  for (let i = 0; i < points.length; i++) {
    const m = points[i].media === "video" ? "video" : "image";
    if (m === shown) out.push(i);
  }
  return out;
}

export interface ClusterInfo {
  cluster: number;
  x: number; // mean of the members' normalised coordinates (the label's anchor)
  y: number;
  count: number; // members shown (after the media filter)
  color: string;
  label: ClusterLabel | null;
}

// One entry per cluster (noise excluded) with at least one shown member, largest first.
// `shown` = point numbers to count (null = all).
export function clusterCentres(points: UmapPoint[], m: MapPoints, labels: Map<number, ClusterLabel>, shown: number[] | null = null): ClusterInfo[] {
  const acc = new Map<number, { sx: number; sy: number; n: number }>();
  const visit = (i: number) => {
    const c = points[i].cluster;
    if (c < 0) return;
    let a = acc.get(c);
    if (!a) acc.set(c, (a = { sx: 0, sy: 0, n: 0 }));
    a.sx += m.x[i];
    a.sy += m.y[i];
    a.n++;
  };
  if (shown) for (const i of shown) visit(i);
  else for (let i = 0; i < points.length; i++) visit(i);
  const out: ClusterInfo[] = [];
  for (const [c, a] of acc) {
    out.push({ cluster: c, x: a.sx / a.n, y: a.sy / a.n, count: a.n, color: clusterColor(c), label: labels.get(c) ?? null });
  }
  return out.sort((a, b) => b.count - a.count || a.cluster - b.cluster);
}

// The album indices of one cluster's shown members, as a browsing list: `first` (the medoid or
// the clicked image) leads, then the rest by distance from it, nearest first.
export function clusterMembers(points: UmapPoint[], cluster: number, first: number | null = null, shown: number[] | null = null): number[] {
  const members: number[] = [];
  const take = (i: number) => points[i].cluster === cluster && members.push(i);
  if (shown) for (const i of shown) take(i);
  else for (let i = 0; i < points.length; i++) take(i);
  if (members.length === 0) return [];
  let start = members.findIndex((i) => points[i].index === first);
  if (start < 0) start = 0;
  const ox = points[members[start]].x;
  const oy = points[members[start]].y;
  const d = (i: number) => (points[i].x - ox) ** 2 + (points[i].y - oy) ** 2;
  const dist = new Map(members.map((i) => [i, d(i)]));
  return members.sort((a, b) => dist.get(a)! - dist.get(b)! || points[a].index - points[b].index).map((i) => points[i].index);
}

// Screen position (CSS px from the top-left) of normalised point (x, y) under regl-scatterplot's
// camera view matrix (column-major 4×4, data aspect ratio 1) in a width × height canvas.
export function projectToScreen(view: ArrayLike<number>, x: number, y: number, width: number, height: number): [number, number] {
  const vx = view[0] * x + view[4] * y + view[12];
  const vy = view[1] * x + view[5] * y + view[13];
  const aspect = width / (height || 1);
  return [(width * (vx / aspect + 1)) / 2, height * (0.5 - vy / 2)];
}

// Where album image `albumIndex`'s dot is drawn, in pixels of a width × height canvas under the
// camera `view` (the projection the labels use); null when the image has no dot on the map.
export function dotScreenPosition(view: ArrayLike<number>, points: MapPoints, albumIndex: number, width: number, height: number): [number, number] | null {
  const p = points.byIndex.get(albumIndex);
  return p === undefined ? null : projectToScreen(view, points.x[p], points.y[p], width, height);
}

// Greedy placement of label boxes (w × h px, anchored bottom-centre at each position): bigger
// clusters first, a label that would overlap a placed one or leave the canvas is skipped.
// Returns the indices into `anchors` that are placed.
export function placeLabels(anchors: Array<[number, number]>, w: number, h: number, width: number, height: number, max: number): number[] {
  const placed: number[] = [];
  for (let i = 0; i < anchors.length && placed.length < max; i++) {
    const [x, y] = anchors[i];
    if (x < 0 || y < 0 || x > width || y > height) continue;
    const clash = placed.some((j) => Math.abs(anchors[j][0] - x) < w && Math.abs(anchors[j][1] - y) < h);
    if (!clash) placed.push(i);
  }
  return placed;
}
