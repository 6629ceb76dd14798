// Slideshow: advances every `delay` seconds, sequentially (stops at the end unless wrap is on)
// or shuffled (bag order, endless). Any manual navigation pauses it.
import { ShuffleBag } from "./navigation";
import type { Store } from "./store";

export class Slideshow {
  private timer: number | null = null;
  private bag = new ShuffleBag();
  private listeners = new Set<(running: boolean) => void>();

  constructor(private readonly store: Store) {}

  get running(): boolean {
    return this.timer !== null;
  }

  onChange(fn: (running: boolean) => void): void {
    this.listeners.add(fn);
  }

  private notify(): void {
    for (const fn of this.listeners) fn(this.running);
  }

  toggle(): void {
    if (this.running) this.stop();
    else this.start();
  }

  start(): void {
    if (this.running || this.store.length === 0) return;
    this.store.setView("single");
    this.schedule();
    this.notify();
  }

  stop(): void {
    if (this.timer !== null) window.clearTimeout(this.timer);
    const was = this.running;
    this.timer = null;
    if (was) this.notify();
  }

  private schedule(): void {
    this.timer = window.setTimeout(() => this.tick(), Math.max(1, this.store.settings.delay) * 1000);
  }

  private tick(): void {
    const s = this.store;
    if (s.settings.mode === "random") {
      s.setPosition(this.bag.next(s.length));
    } else if (s.pos + 1 >= s.length && !s.settings.wrap) {
      this.stop();
      return;
    } else {
      s.move(1);
    }
    this.schedule();
  }
}
