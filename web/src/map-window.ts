// Semantic map window: a floating, resizable, collapsible panel with a WebGL scatter
// (regl-scatterplot, loaded on first open so the main bundle stays small). Cluster colours,
// pan/zoom/pinch, a hover thumbnail, the current image marked, click a dot to open it; cluster
// labels and landmarks (cluster_labels/{k}) that browse their cluster when clicked; the
// Cluster Strength, media and landmark controls (map-controls.ts). Without a map route or map
// data it says so and stays harmless; without the labels route it draws the dots only,
// and when the server cannot name the clusters it shows the reply's "message" (e.g. classic:v1).
// Test hooks: .map-body carries data-points = the number of dots drawn now (after the media
// filter), and dotPosition() says where an image's dot is on screen.
import { ApiError, urls, type Api } from "./api";
import { releaseFocus } from "./focus-trap";
import { h } from "./dom";
import { MapControls } from "./map-controls";
import {
  clusterCaption, clusterLabelsMessage, clusterCentres, clusterColor, clusterMembers, clusterStats, dotScreenPosition, projectToScreen, mediaFilter, parseClusterLabels, prepareMapPoints, syntheticPoints,
  type ClusterInfo, type ClusterLabel, type MapPoints, type MediaShown, type UmapPoint,
} from "./map-data";
import { MapLabels } from "./map-labels";

type Scatterplot = ReturnType<typeof import("regl-scatterplot").default>;

export class MapWindow {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly status: HTMLElement;
  private readonly hover: HTMLElement;
  private readonly hoverImg: HTMLImageElement;
  private readonly hoverText: HTMLElement;
  private readonly controls: MapControls;
  private readonly labels: MapLabels;
  private plot: Scatterplot | null = null;
  private points: MapPoints | null = null;
  private data: UmapPoint[] = [];
  private clusterLabels = new Map<number, ClusterLabel>();
  private shown: number[] | null = null;
  private shownSet: Set<number> | null = null;
  private media: MediaShown = "both";
  private album = "";
  private loadedAlbum = "";
  private current = -1;
  private mouse = { x: 0, y: 0 };
  private loadToken = 0;

  constructor(
    private readonly api: Api,
    private readonly onPick: (albumIndex: number) => void,
    // A cluster to browse: its members' album indices in order, its caption, and the image to
    // show first (the clicked one; null = the list's first).
    private readonly onCluster: (members: number[], label: string, first: number | null) => void = () => undefined,
  ) {
    this.labels = new MapLabels((c) => this.browseCluster(c));
    this.controls = new MapControls(api, {
      album: () => this.album,
      epsChanged: (eps) => void this.loadData(this.album, eps),
      mediaChanged: (m) => this.setMedia(m),
      landmarksChanged: (on) => {
        this.labels.landmarks = on;
        this.relayout();
      },
    });
    this.canvas = h("canvas", { class: "map-canvas", "aria-label": "Semantic map: each dot is an image" });
    this.status = h("div", { class: "map-status", role: "status" });
    this.hoverImg = h("img", { alt: "" });
    this.hoverText = h("span", { class: "map-hover-text" });
    this.hover = h("div", { class: "map-hover", hidden: true }, this.hoverImg, this.hoverText);
    this.body = h("div", { class: "map-body" }, this.canvas, this.labels.el, this.hover, this.status);
    const shade = h("button", { class: "icon-btn small", type: "button", "aria-label": "Collapse map", onclick: () => this.el.classList.toggle("shaded") }, "▁");
    const close = h("button", { class: "icon-btn small", type: "button", "aria-label": "Close map", onclick: () => this.close() }, "✖");
    this.el = h("section", { class: "map-window", role: "dialog", "aria-label": "Semantic map", hidden: true },
      h("header", { class: "map-title" }, h("h2", {}, "Semantic Map"), shade, close), this.body, this.controls.el);
    this.body.addEventListener("mousemove", (e) => {
      const r = this.body.getBoundingClientRect();
      this.mouse = { x: e.clientX - r.left, y: e.clientY - r.top };
    });
    new ResizeObserver(() => {
      void this.plot?.set({ width: this.body.clientWidth, height: this.body.clientHeight });
      this.relayout();
    }).observe(this.body);
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else void this.open();
  }

  close(): void {
    releaseFocus(this.el);
    this.el.hidden = true;
  }

  setAlbum(key: string): void {
    this.album = key;
    if (this.isOpen) void this.load();
  }

  setCurrent(albumIndex: number): void {
    this.current = albumIndex;
    const p = this.points?.byIndex.get(albumIndex);
    const visible = p !== undefined && (!this.shownSet || this.shownSet.has(p));
    if (this.plot && visible) this.plot.select([p], { preventEvent: true });
    this.labels.setCurrent(visible && this.points ? [this.points.x[p], this.points.y[p]] : null);
    this.relayout();
    if (visible && this.points) this.keepInView(this.points.x[p], this.points.y[p]);
  }

  // Pans (keeping the zoom) so the current image's dot stays on screen.
  private keepInView(x: number, y: number): void {
    if (!this.plot || this.el.hidden) return;
    const get = this.plot.get as (k: string) => unknown;
    const w = this.body.clientWidth;
    const hgt = this.body.clientHeight;
    const [sx, sy] = projectToScreen(get("cameraView") as ArrayLike<number>, x, y, w, hgt);
    if (sx >= 8 && sy >= 8 && sx <= w - 8 && sy <= hgt - 8) return;
    void this.plot.zoomToLocation([x, y], get("cameraDistance") as number, { transition: true, transitionDuration: 300 });
  }

  // Indices changed on the server (delete, move): the next open or load re-reads the map.
  invalidate(): void {
    this.loadedAlbum = "";
    if (this.isOpen) void this.load();
  }

  private relayout(): void {
    if (!this.plot || this.el.hidden || !this.points) return;
    const view = (this.plot.get as (k: string) => unknown)("cameraView") as ArrayLike<number>;
    this.labels.layout(view, this.body.clientWidth, this.body.clientHeight);
  }

  private setMedia(m: MediaShown): void {
    this.media = m;
    this.applyFilter();
  }

  private applyFilter(): void {
    this.shown = mediaFilter(this.data, this.media);
    this.shownSet = this.shown ? new Set(this.shown) : null;
    this.body.dataset.points = String(this.shown ? this.shown.length : (this.points?.indices.length ?? 0));
    if (this.plot && this.points) {
      if (this.shown) void this.plot.filter(this.shown, { preventEvent: true });
      else void this.plot.unfilter({ preventEvent: true });
    }
    this.updateClusters();
    this.setCurrent(this.current);
  }

  private updateClusters(): void {
    this.labels.album = this.album;
    this.labels.setClusters(this.points ? clusterCentres(this.data, this.points, this.clusterLabels, this.shown) : []);
  }

  private browseCluster(c: ClusterInfo): void {
    const members = clusterMembers(this.data, c.cluster, c.label?.medoid ?? null, this.shown);
    if (members.length) this.onCluster(members, clusterCaption(c.cluster, c.label), null);
  }

  async open(): Promise<void> {
    this.el.hidden = false;
    await this.load();
  }

  private async ensurePlot(): Promise<Scatterplot | null> {
    if (this.plot) return this.plot;
    const { default: createScatterplot } = await import("regl-scatterplot");
    const plot = createScatterplot({
      canvas: this.canvas,
      width: this.body.clientWidth || 480,
      height: this.body.clientHeight || 360,
      pointSize: 4,
      pointSizeSelected: 10,
      pointOutlineWidth: 2,
      pointColorActive: "#FFD700",
      backgroundColor: [0.094, 0.094, 0.125, 1],
      lassoInitiator: false,
    } as never);
    if (!plot.isSupported) {
      this.status.textContent = "This browser cannot draw the map (WebGL is unavailable).";
      return null;
    }
    plot.subscribe("select", ({ points }) => {
      const i = points[0];
      if (i === undefined || !this.points) return;
      const index = this.points.indices[i];
      if (!this.controls.clickSelectsCluster) return this.onPick(index);
      const c = this.data[i].cluster;
      this.onCluster(clusterMembers(this.data, c, index, this.shown), clusterCaption(c, this.clusterLabels.get(c)), index);
    });
    plot.subscribe("pointOver", (i) => {
      if (!this.points) return;
      const c = this.data[i]?.cluster ?? -1;
      this.hoverImg.src = urls.thumbnail(this.album, this.points.indices[i], 128);
      this.hoverText.textContent = clusterCaption(c, this.clusterLabels.get(c));
      this.hover.style.borderColor = clusterColor(c);
      this.hover.style.left = `${Math.min(this.mouse.x + 12, this.body.clientWidth - 140)}px`;
      this.hover.style.top = `${Math.max(this.mouse.y - 160, 0)}px`;
      this.hover.hidden = false;
    });
    plot.subscribe("pointOut", () => (this.hover.hidden = true));
    plot.subscribe("view", ({ view }: { view: ArrayLike<number> }) => this.labels.schedule(view, this.body.clientWidth, this.body.clientHeight));
    this.plot = plot;
    return plot;
  }

  private async load(): Promise<void> {
    if (!this.album || this.loadedAlbum === this.album) return;
    const album = this.album;
    this.status.textContent = "Loading the map…";
    const eps = await this.controls.load();
    if (album !== this.album) return;
    if (await this.loadData(album, eps)) this.loadedAlbum = album;
  }

  // Fetches the points and the labels drawn with `eps` (null = the server's value) and shows them.
  private async loadData(album: string, eps: number | null): Promise<boolean> {
    const token = ++this.loadToken;
    const labels = this.api.clusterLabels(album, eps).then(
      (body) => {
        const parsed = parseClusterLabels(body);
        return { labels: parsed, note: parsed.size === 0 ? clusterLabelsMessage(body) : "" };
      },
      (e) => ({
        labels: new Map<number, ClusterLabel>(),
        note: e instanceof ApiError && e.status === 404 ? "Cluster labels are unavailable on this server." : `Cluster labels cannot be loaded: ${(e as Error).message}`,
      }),
    );
    let data: UmapPoint[];
    try {
      data = await fetchUmap(this.api, album, eps);
    } catch (e) {
      if (token !== this.loadToken) return false;
      this.status.textContent =
        e instanceof ApiError && e.status === 404
          ? "No semantic map for this album yet (it appears after indexing, on servers that offer it)."
          : `The map cannot be loaded: ${(e as Error).message}`;
      void this.plot?.clear();
      this.points = null;
      this.data = [];
      this.body.dataset.points = "0";
      this.clusterLabels = new Map();
      this.updateClusters();
      this.controls.setStats(null);
      return false;
    }
    if (token !== this.loadToken || album !== this.album) return false;
    // The dots first; labels can take a while (the server may build its vocabulary first).
    this.clusterLabels = new Map();
    this.controls.note.textContent = data.length ? "Loading cluster labels…" : "";
    this.controls.setHasVideos(data.some((p) => p.media === "video"));
    await this.show(data);
    void labels.then((l) => {
      if (token !== this.loadToken || album !== this.album) return;
      this.clusterLabels = l.labels;
      this.controls.note.textContent = l.note || (data.length && l.labels.size === 0 ? "No cluster labels for this map." : "");
      this.updateClusters();
      this.relayout();
    });
    return true;
  }

  async show(data: UmapPoint[]): Promise<void> {
    const plot = await this.ensurePlot();
    if (!plot) return;
    this.data = data;
    this.points = prepareMapPoints(data);
    this.controls.setStats(clusterStats(data));
    // Small albums get bigger dots; 100k points stay readable at 3 px.
    const n = data.length;
    void plot.set({ pointColor: this.points.colors, colorBy: "category", pointSize: n < 2000 ? 7 : n < 20000 ? 5 : 3 } as never);
    await plot.draw({ x: this.points.x, y: this.points.y, category: this.points.category });
    this.status.textContent = data.length ? "" : "The map is empty.";
    this.applyFilter();
  }

  // Test hook (the e2e suite evaluates window.photomapApp.map.dotPosition(i)): the viewport
  // position in CSS pixels of album image `albumIndex`'s dot under the current camera; null when
  // the window is closed or the image is not drawn (no dot, or filtered out).
  dotPosition(albumIndex: number): { x: number; y: number } | null {
    if (!this.plot || !this.points || this.el.hidden) return null;
    const p = this.points.byIndex.get(albumIndex);
    if (p === undefined || (this.shownSet && !this.shownSet.has(p))) return null;
    const view = (this.plot.get as (k: string) => unknown)("cameraView") as ArrayLike<number>;
    const xy = dotScreenPosition(view, this.points, albumIndex, this.body.clientWidth, this.body.clientHeight);
    if (!xy) return null;
    const r = this.body.getBoundingClientRect();
    return { x: r.left + xy[0], y: r.top + xy[1] };
  }

  // Test and debugging hook: what the label layer holds.
  get labelCount(): number {
    return this.labels.labelCount;
  }

  // Benchmark hook: draws n synthetic points with a label and landmark per cluster and pans for
  // `ms`, returning frame times (ms).
  async bench(n: number, ms = 3000): Promise<{ points: number; frames: number; medianMs: number; p95Ms: number }> {
    this.el.hidden = false;
    const data = syntheticPoints(n);
    this.clusterLabels = new Map();
    for (const p of data) {
      if (p.cluster >= 0 && !this.clusterLabels.has(p.cluster)) this.clusterLabels.set(p.cluster, { label: `cluster ${p.cluster}`, alternates: [], score: 0.3, medoid: p.index });
    }
    await this.show(data);
    const plot = this.plot!;
    const times: number[] = [];
    const t0 = performance.now();
    let last = t0;
    await new Promise<void>((resolve) => {
      const frame = (t: number) => {
        times.push(t - last);
        last = t;
        const k = (t - t0) / ms;
        void plot.set({ cameraTarget: [Math.sin(k * 6.28) * 0.5, Math.cos(k * 6.28) * 0.3], cameraDistance: 1 + 0.5 * Math.sin(k * 3.14) } as never);
        if (t - t0 < ms) requestAnimationFrame(frame);
        else resolve();
      };
      requestAnimationFrame(frame);
    });
    times.shift();
    times.sort((a, b) => a - b);
    return { points: n, frames: times.length, medianMs: times[Math.floor(times.length / 2)], p95Ms: times[Math.floor(times.length * 0.95)] };
  }
}

async function fetchUmap(api: Api, album: string, eps: number | null): Promise<UmapPoint[]> {
  const r = await api.umapData(album, eps);
  return Array.isArray(r) ? r.filter((p) => p && Number.isFinite(p.x) && Number.isFinite(p.y) && Number.isInteger(p.index)) : [];
}
