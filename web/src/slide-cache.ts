// Cache of retrieve_image replies (SlideSummary) per album index, with single-flight requests,
// and preloading of the full-size images of neighbours.
import { Api, safeRelativeUrl, type SlideSummary } from "./api";

export class SlideCache {
  private cache = new Map<number, Promise<SlideSummary>>();
  private preloaded = new Map<string, HTMLImageElement>();

  constructor(
    private readonly api: Api,
    private readonly album: string,
    private readonly capacity = 200,
  ) {}

  get(index: number): Promise<SlideSummary> {
    let p = this.cache.get(index);
    if (p) {
      this.cache.delete(index);
      this.cache.set(index, p); // LRU touch
      return p;
    }
    p = this.api.retrieveImage(this.album, index);
    p.catch(() => this.cache.delete(index));
    this.cache.set(index, p);
    while (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next().value as number;
      this.cache.delete(oldest);
    }
    return p;
  }

  preload(indices: number[]): void {
    for (const i of indices) {
      if (i < 0) continue;
      this.get(i)
        .then((s) => {
          const url = safeRelativeUrl(s.image_url);
          if (!url || this.preloaded.has(url) || s.media_type === "video") return;
          const img = new Image();
          img.decoding = "async";
          img.src = url;
          this.preloaded.set(url, img);
          while (this.preloaded.size > 12) this.preloaded.delete(this.preloaded.keys().next().value as string);
        })
        .catch(() => undefined);
    }
  }
}
