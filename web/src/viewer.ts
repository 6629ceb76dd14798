// Single-image view: the current image letterboxed on black (a video slide plays in a native
// <video> from videos/{k}/{path}, which the server serves with Range), ‹ › buttons, wheel and
// swipe navigation, a position/score pill, and preloading of the neighbours. Double-click → grid.
import { safeRelativeUrl } from "./api";
import { h } from "./dom";
import { formatPosition } from "./format";
import type { SlideCache } from "./slide-cache";
import type { Store } from "./store";

export class Viewer {
  readonly el: HTMLElement;
  readonly pill: HTMLElement;
  private readonly img: HTMLImageElement;
  private readonly video: HTMLVideoElement;
  private readonly empty: HTMLElement;
  private readonly caption: HTMLElement;
  private token = 0;
  private wheelAt = 0;
  private touchX: number | null = null;
  private touchY = 0;
  cache: SlideCache | null = null;

  constructor(
    private readonly store: Store,
    private readonly onUserNavigate: () => void,
    private readonly onOpenGrid: () => void,
  ) {
    this.img = h("img", { class: "slide-img", alt: "", draggable: "false" });
    this.img.addEventListener("error", () => {
      if (this.img.getAttribute("src")) this.caption.textContent = "This image could not be loaded.";
    });
    this.video = h("video", { class: "slide-video", controls: true, playsinline: true, preload: "metadata", hidden: true });
    this.video.addEventListener("error", () => {
      const src = this.video.getAttribute("src");
      if (!src) return;
      this.caption.replaceChildren("This video cannot be played here: your browser probably cannot play its format. ",
        h("a", { href: src, download: "", class: "caption-link" }, "Download the video"));
    });
    this.video.addEventListener("play", () => this.onUserNavigate());
    this.empty = h("div", { class: "empty-state", hidden: true });
    this.caption = h("div", { class: "slide-caption", "aria-live": "polite" });
    this.pill = h("div", { class: "pill", role: "status", "aria-label": "Position" });
    const prev = h("button", { class: "nav-btn nav-prev", type: "button", "aria-label": "Previous image" }, "‹");
    const next = h("button", { class: "nav-btn nav-next", type: "button", "aria-label": "Next image" }, "›");
    prev.addEventListener("click", () => this.userMove(-1));
    next.addEventListener("click", () => this.userMove(1));
    this.el = h("main", { class: "viewer", "aria-label": "Image viewer" }, this.img, this.video, this.empty, prev, next, this.caption);
    this.el.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    this.el.addEventListener("dblclick", (e) => {
      if (e.target !== this.video) this.onOpenGrid();
    });
    this.el.addEventListener("touchstart", (e) => {
      if (e.touches.length === 1) {
        this.touchX = e.touches[0].clientX;
        this.touchY = e.touches[0].clientY;
      }
    }, { passive: true });
    this.el.addEventListener("touchend", (e) => {
      if (this.touchX === null) return;
      const dx = e.changedTouches[0].clientX - this.touchX;
      const dy = e.changedTouches[0].clientY - this.touchY;
      this.touchX = null;
      if (Math.abs(dx) > 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) this.userMove(dx < 0 ? 1 : -1);
    }, { passive: true });
  }

  userMove(delta: number): void {
    this.onUserNavigate();
    this.store.move(delta);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const now = performance.now();
    if (now - this.wheelAt < 250 || Math.abs(e.deltaY) + Math.abs(e.deltaX) < 4) return;
    this.wheelAt = now;
    const d = Math.abs(e.deltaY) >= Math.abs(e.deltaX) ? e.deltaY : e.deltaX;
    this.userMove(d > 0 ? 1 : -1);
  }

  showEmpty(message: string): void {
    this.token++;
    this.img.removeAttribute("src");
    this.img.hidden = true;
    this.stopVideo();
    this.empty.hidden = false;
    this.empty.textContent = message;
    this.caption.textContent = "";
    this.pill.hidden = true;
    this.el.classList.add("empty");
  }

  private stopVideo(): void {
    if (!this.video.getAttribute("src")) return;
    this.video.pause();
    this.video.removeAttribute("src");
    this.video.removeAttribute("poster");
    this.video.load();
    this.video.hidden = true;
  }

  async render(): Promise<void> {
    const s = this.store;
    const n = s.length;
    this.pill.hidden = false;
    this.el.classList.remove("empty");
    this.pill.textContent = (s.results ? `${s.searchLabel ? s.searchLabel + " · " : ""}` : "") + formatPosition(s.pos, n, s.scoreAt(s.pos));
    if (!this.cache || n === 0) return;
    const token = ++this.token;
    const index = s.currentIndex;
    try {
      const slide = await this.cache.get(index);
      if (token !== this.token) return;
      const url = safeRelativeUrl(slide.image_url);
      const videoUrl = slide.media_type === "video" ? safeRelativeUrl(slide.video_url) : null;
      this.empty.hidden = true;
      if (videoUrl) {
        this.img.hidden = true;
        this.img.removeAttribute("src");
        this.video.hidden = false;
        if (this.video.getAttribute("src") !== videoUrl) {
          if (url) this.video.poster = url;
          this.video.src = videoUrl;
        }
        this.video.setAttribute("aria-label", slide.filename);
      } else {
        this.stopVideo();
        this.img.hidden = false;
        if (url && this.img.getAttribute("src") !== url) this.img.src = url;
      }
      this.img.alt = slide.filename;
      this.img.dataset.index = String(index);
      this.caption.textContent = slide.filename + (slide.media_type === "video" && !videoUrl ? " (video)" : "");
    } catch (e) {
      if (token === this.token) this.caption.textContent = `Image ${index} could not be loaded: ${(e as Error).message}`;
    }
    // Neighbours, in the direction of travel first.
    const neighbours = [1, -1, 2].map((d) => s.pos + d).filter((p) => p >= 0 && p < n).map((p) => s.indexAt(p));
    this.cache.preload(neighbours);
  }
}
