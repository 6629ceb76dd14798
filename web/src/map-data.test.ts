import { describe, expect, it } from "vitest";
import {
  clusterCaption, clusterCentres, dotScreenPosition, clusterLabelsMessage, clusterStats, clusterColor, clusterMembers, mediaFilter, PALETTE, parseClusterLabels, placeLabels,
  prepareMapPoints, projectToScreen, syntheticPoints, UNCLUSTERED, type UmapPoint,
} from "./map-data";

describe("prepareMapPoints", () => {
  it("centres and scales into [-0.95, 0.95] keeping the aspect ratio", () => {
    const m = prepareMapPoints([
      { x: 10, y: 5, index: 7, cluster: 0 },
      { x: 20, y: 6, index: 3, cluster: -1 },
      { x: 15, y: 5.5, index: 0, cluster: 25 },
    ]);
    expect(m.x[0]).toBeCloseTo(-0.95, 6);
    expect(m.x[1]).toBeCloseTo(0.95, 6);
    expect(m.x[2]).toBeCloseTo(0, 6);
    expect(m.y[0]).toBeCloseTo(-0.095, 6);
    expect(m.y[1]).toBeCloseTo(0.095, 6);
    expect(Array.from(m.category)).toEqual([1, 0, 1 + (25 % PALETTE.length)]);
    expect(m.colors[0]).toBe(UNCLUSTERED);
    expect(m.byIndex.get(3)).toBe(1);
    expect(Array.from(m.indices)).toEqual([7, 3, 0]);
  });
  it("handles a single point and an empty map", () => {
    expect(prepareMapPoints([{ x: 3, y: 3, index: 0, cluster: 1 }]).x[0]).toBeCloseTo(0, 9);
    expect(prepareMapPoints([]).x.length).toBe(0);
  });
});

describe("syntheticPoints", () => {
  it("is deterministic and clustered", () => {
    const a = syntheticPoints(1000);
    expect(a).toEqual(syntheticPoints(1000));
    expect(new Set(a.map((p) => p.cluster)).size).toBeGreaterThan(5);
    expect(a.filter((p) => p.cluster === -1).length).toBeGreaterThan(50);
  });
});

const POINTS: UmapPoint[] = [
  { x: 0, y: 0, index: 10, cluster: 0, media: "image" },
  { x: 2, y: 0, index: 11, cluster: 0, media: "video" },
  { x: 4, y: 6, index: 12, cluster: 0, media: "image" },
  { x: 10, y: 10, index: 13, cluster: 1, media: "video" },
  { x: 5, y: 5, index: 14, cluster: -1, media: "image" },
];

describe("cluster labels joined with umap_data", () => {
  const body = {
    labels: {
      "0": { label: "beach", alternates: ["sea", "sand", 3], score: 0.31, medoid_index: 11 },
      "1": { label: "<b>dog</b>", alternates: [], score: 0.2 },
      "-1": { label: "noise" },
      x: { label: "bad id" },
      "2": { alternates: [] },
    },
  };
  it("parses labels defensively", () => {
    const l = parseClusterLabels(body);
    expect([...l.keys()]).toEqual([0, 1]);
    expect(l.get(0)).toEqual({ label: "beach", alternates: ["sea", "sand"], score: 0.31, medoid: 11 });
    expect(l.get(1)!.medoid).toBeNull();
    expect(l.get(1)!.label).toBe("<b>dog</b>"); // kept as text, rendered with textContent
    expect(parseClusterLabels(null).size).toBe(0);
    expect(parseClusterLabels({ detail: "Not Found" }).size).toBe(0);
    expect(parseClusterLabels({ labels: [1, 2] }).size).toBe(0);
  });
  it("puts each label at the mean of its cluster's points, largest cluster first, noise excluded", () => {
    const m = prepareMapPoints(POINTS);
    const c = clusterCentres(POINTS, m, parseClusterLabels(body));
    expect(c.map((e) => [e.cluster, e.count])).toEqual([[0, 3], [1, 1]]);
    // Mean of the normalised coordinates = normalised mean (2, 2): span 10, centre (5, 5).
    expect(c[0].x).toBeCloseTo(((2 - 5) / 10) * 1.9, 6);
    expect(c[0].y).toBeCloseTo(((2 - 5) / 10) * 1.9, 6);
    expect(c[0].color).toBe(PALETTE[0]);
    expect(c[0].label!.label).toBe("beach");
    expect(c[1].x).toBeCloseTo(0.95, 6);
  });
  it("recomputes centres over the shown points only", () => {
    const m = prepareMapPoints(POINTS);
    const shown = mediaFilter(POINTS, "image");
    const c = clusterCentres(POINTS, m, new Map(), shown);
    expect(c.map((e) => [e.cluster, e.count])).toEqual([[0, 2]]);
    expect(c[0].x).toBeCloseTo(((2 - 5) / 10) * 1.9, 6);
    expect(c[0].y).toBeCloseTo(((3 - 5) / 10) * 1.9, 6);
    expect(c[0].label).toBeNull();
  });
});

describe("mediaFilter", () => {
  it("keeps images, videos or everything (points without media count as images)", () => {
    expect(mediaFilter(POINTS, "both")).toBeNull();
    expect(mediaFilter(POINTS, "image")).toEqual([0, 2, 4]);
    expect(mediaFilter(POINTS, "video")).toEqual([1, 3]);
    expect(mediaFilter([{ x: 0, y: 0, index: 0, cluster: 0 }], "image")).toEqual([0]);
  });
});

describe("clusterMembers", () => {
  it("starts at the medoid and walks outwards by distance", () => {
    expect(clusterMembers(POINTS, 0, 11)).toEqual([11, 10, 12]);
    expect(clusterMembers(POINTS, 0, 12)).toEqual([12, 11, 10]);
    expect(clusterMembers(POINTS, 0, null)).toEqual([10, 11, 12]);
    expect(clusterMembers(POINTS, 0, 11, mediaFilter(POINTS, "image"))).toEqual([10, 12]);
    expect(clusterMembers(POINTS, 7, null)).toEqual([]);
    expect(clusterMembers(POINTS, -1, 14)).toEqual([14]);
  });
});

describe("projectToScreen", () => {
  const identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  it("maps the origin to the centre and y up to screen up", () => {
    expect(projectToScreen(identity, 0, 0, 400, 200)).toEqual([200, 100]);
    expect(projectToScreen(identity, 0, 1, 400, 200)).toEqual([200, 0]);
    // x is divided by the aspect ratio (2): x = 1 lands at a quarter of the width right of centre.
    expect(projectToScreen(identity, 1, 0, 400, 200)).toEqual([300, 100]);
  });
  it("applies the camera's zoom and pan", () => {
    const zoom2pan = [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0.5, -0.5, 0, 1];
    const [x, y] = projectToScreen(zoom2pan, 0.25, 0.25, 100, 100);
    expect(x).toBeCloseTo(100 * (1 + 1) / 2, 6);
    expect(y).toBeCloseTo(100 * (0.5 - 0 / 2), 6);
  });
});

describe("placeLabels", () => {
  it("skips labels that overlap a bigger one or are off screen", () => {
    const anchors: Array<[number, number]> = [[100, 100], [120, 110], [300, 100], [-5, 50], [100, 200]];
    expect(placeLabels(anchors, 80, 40, 400, 300, 10)).toEqual([0, 2, 4]);
    expect(placeLabels(anchors, 80, 40, 400, 300, 2)).toEqual([0, 2]);
  });
  it("counts clusters, their sizes and the unclustered points", () => {
    expect(clusterStats(POINTS)).toEqual({ clusters: 2, largest: 3, smallest: 1, unclustered: 1, total: 5 });
    expect(clusterStats([])).toEqual({ clusters: 0, largest: 0, smallest: 0, unclustered: 0, total: 0 });
  });
  it("names clusters for the pill and the hover card", () => {
    expect(clusterCaption(3, { label: "beach", alternates: [], score: 0.3, medoid: 1 })).toBe('Cluster 3 · "beach"');
    expect(clusterCaption(3, null)).toBe("Cluster 3");
    expect(clusterCaption(-1, null)).toBe("Unclustered");
  });
  it("colours clusters from the palette and noise grey", () => {
    expect(clusterColor(-1)).toBe(UNCLUSTERED);
    expect(clusterColor(PALETTE.length + 2)).toBe(PALETTE[2]);
  });
});

describe("cluster label message", () => {
  it("reads the server's reason for an empty label set", () => {
    const why = "This album was indexed with classic:v1, which cannot read text, so clusters cannot be named.";
    expect(clusterLabelsMessage({ labels: {}, message: ` ${why} ` })).toBe(why);
    expect(clusterLabelsMessage({ labels: {} })).toBe("");
    expect(clusterLabelsMessage({ labels: {}, message: 42 })).toBe("");
    expect(clusterLabelsMessage(null)).toBe("");
  });
});

describe("dotScreenPosition", () => {
  const identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  const m = prepareMapPoints([
    { x: 10, y: 5, index: 7, cluster: 0 },
    { x: 20, y: 5, index: 3, cluster: -1 },
  ]);
  it("projects the dot of an album index, not of a point number", () => {
    // Index 3 is point 1, at normalised (0.95, 0): 400 px wide, aspect 2 → 200 + 200 * 0.95 / 2.
    const [x, y] = dotScreenPosition(identity, m, 3, 400, 200)!;
    expect(x).toBeCloseTo(295, 4);
    expect(y).toBeCloseTo(100, 4);
    expect(dotScreenPosition(identity, m, 7, 400, 200)![0]).toBeCloseTo(105, 4);
  });
  it("follows the camera like projectToScreen", () => {
    const zoom2pan = [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0.5, -0.5, 0, 1];
    expect(dotScreenPosition(zoom2pan, m, 3, 400, 200)).toEqual(projectToScreen(zoom2pan, m.x[1], m.y[1], 400, 200));
  });
  it("is null for an image without a dot", () => {
    expect(dotScreenPosition(identity, m, 0, 400, 200)).toBeNull();
  });
});
