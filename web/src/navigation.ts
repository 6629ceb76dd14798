// Position arithmetic for browsing a list (the album or search results): step with or without
// wrap-around, and the shuffle "bag" (every item once per cycle, no immediate repeat).
export function step(pos: number, delta: number, total: number, wrap: boolean): number {
  if (total <= 0) return 0;
  const next = pos + delta;
  if (wrap) return ((next % total) + total) % total;
  return Math.max(0, Math.min(total - 1, next));
}

export class ShuffleBag {
  private bag: number[] = [];
  private last = -1;
  constructor(private readonly random: () => number = Math.random) {}

  next(total: number): number {
    if (total <= 0) return 0;
    if (total === 1) return 0;
    if (this.bag.length === 0 || this.bag.some((v) => v >= total)) {
      this.bag = Array.from({ length: total }, (_, i) => i);
      for (let i = total - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [this.bag[i], this.bag[j]] = [this.bag[j], this.bag[i]];
      }
      if (this.bag[this.bag.length - 1] === this.last) {
        [this.bag[0], this.bag[this.bag.length - 1]] = [this.bag[this.bag.length - 1], this.bag[0]];
      }
    }
    this.last = this.bag.pop() as number;
    return this.last;
  }
}
