// HTML overlay above the map canvas: one button per cluster label, anchored at the mean of the
// cluster's points (a landmark thumbnail of the medoid with the cluster colour as its border,
// when landmarks are on), the biggest clusters first without overlaps, and a ring marking the
// current image. Positions follow the camera (call layout() on every view change).
import { urls } from "./api";
import { h } from "./dom";
import { placeLabels, projectToScreen, type ClusterInfo } from "./map-data";

const MAX_LABELS = 18;
const LANDMARK_PX = 56;

export class MapLabels {
  readonly el: HTMLElement;
  private readonly marker: HTMLElement;
  private buttons = new Map<number, HTMLElement>();
  private clusters: ClusterInfo[] = [];
  private current: [number, number] | null = null;
  private frame = 0;
  album = "";
  landmarks = true;

  constructor(private readonly onCluster: (c: ClusterInfo) => void) {
    this.marker = h("div", { class: "map-current", hidden: true, "aria-hidden": "true" });
    this.el = h("div", { class: "map-labels" }, this.marker);
  }

  setClusters(clusters: ClusterInfo[]): void {
    for (const b of this.buttons.values()) b.remove();
    this.buttons.clear();
    this.clusters = clusters.filter((c) => c.label);
  }

  // The current image's normalised position, or null when it is not on the map (or filtered out).
  setCurrent(p: [number, number] | null): void {
    this.current = p;
  }

  get labelCount(): number {
    return this.clusters.length;
  }

  private button(c: ClusterInfo): HTMLElement {
    let b = this.buttons.get(c.cluster);
    if (b) return b;
    const l = c.label!;
    const text = h("span", { class: "map-label-text" }, l.label);
    const tip = `Cluster ${c.cluster}: ${l.label}${l.alternates.length ? ` (also: ${l.alternates.join(", ")})` : ""} · ${c.count} images. Click to browse it.`;
    b = h("button", { type: "button", class: "map-label", title: tip, "aria-label": `Browse cluster ${c.cluster}: ${l.label}`, "data-cluster": c.cluster, style: `--cluster:${c.color}` }, text);
    b.addEventListener("click", () => this.onCluster(c));
    this.buttons.set(c.cluster, b);
    this.el.appendChild(b);
    return b;
  }

  private landmark(b: HTMLElement, c: ClusterInfo): void {
    const want = this.landmarks && c.label?.medoid !== null && c.label?.medoid !== undefined;
    let img = b.querySelector("img");
    if (want && !img) {
      const size = Math.ceil(LANDMARK_PX * Math.min(2, window.devicePixelRatio || 1));
      img = h("img", { class: "map-landmark", alt: "", draggable: "false", src: urls.thumbnail(this.album, c.label!.medoid!, size, c.color) });
      b.prepend(img);
    }
    if (img) img.hidden = !want;
  }

  schedule(view: ArrayLike<number>, width: number, height: number): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.layout(view, width, height);
    });
  }

  layout(view: ArrayLike<number>, width: number, height: number): void {
    const anchors = this.clusters.map((c) => projectToScreen(view, c.x, c.y, width, height));
    const boxH = this.landmarks ? LANDMARK_PX + 24 : 24;
    const show = new Set(placeLabels(anchors, 110, boxH, width, height, MAX_LABELS));
    this.clusters.forEach((c, i) => {
      const existing = this.buttons.get(c.cluster);
      if (!show.has(i)) {
        if (existing) existing.hidden = true;
        return;
      }
      const b = this.button(c);
      this.landmark(b, c);
      b.hidden = false;
      b.style.transform = `translate(${Math.round(anchors[i][0])}px, ${Math.round(anchors[i][1])}px) translate(-50%, -100%)`;
    });
    if (this.current) {
      const [x, y] = projectToScreen(view, this.current[0], this.current[1], width, height);
      this.marker.hidden = x < 0 || y < 0 || x > width || y > height;
      this.marker.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px) translate(-50%, -50%)`;
    } else {
      this.marker.hidden = true;
    }
  }
}
