// Recent-positions flyout of the Back button (right-click or long-press): a 4×3 grid of the
// 12 newest back-stack thumbnails, newest top-left; clicking one jumps there. Esc or a click
// outside closes it.
import { urls } from "./api";
import { h } from "./dom";

export class BackFlyout {
  readonly el: HTMLElement;

  constructor(private readonly onPick: (index: number) => void) {
    this.el = h("div", { class: "popup-menu back-flyout", role: "menu", "aria-label": "Recent positions", hidden: true });
    document.addEventListener("click", (e) => {
      if (this.isOpen && !this.el.contains(e.target as Node)) this.close();
    });
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  open(album: string, indices: number[]): void {
    if (indices.length === 0) return;
    const size = Math.ceil(96 * Math.min(2, window.devicePixelRatio || 1));
    this.el.replaceChildren(
      h("div", { class: "menu-heading" }, "Recent positions"),
      h("div", { class: "flyout-grid" }, ...indices.map((i) => {
        const b = h("button", { type: "button", role: "menuitem", class: "flyout-item", "aria-label": `Go back to image ${i + 1}`, "data-index": i },
          h("img", { src: urls.thumbnail(album, i, size), alt: "", draggable: "false" }));
        b.addEventListener("click", () => {
          this.close();
          this.onPick(i);
        });
        return b;
      })),
    );
    this.el.hidden = false;
    this.el.querySelector<HTMLElement>(".flyout-item")?.focus();
  }

  close(): void {
    this.el.hidden = true;
  }
}
