// Bookmarks button (bottom-right toolbar) and its menu, headed "Bookmarks (N)": Show / Hide
// (browse the bookmarks as a result list; hiding restores what was browsed before), Select All
// (bookmark every current search result), Clear, Move…, Copy… (folder picker), Download (zip),
// Delete…. The button is filled yellow while any bookmark exists.
import type { Bookmarks } from "./bookmarks";
import { h } from "./dom";
import { icon } from "./icons";

export interface BookmarksMenuHost {
  showing(): boolean; // the bookmarks are the browsing list now
  hasResults(): boolean; // a search or cluster list is being browsed
  show(): void;
  hide(): void;
  selectAll(): void;
  clear(): void;
  move(): void;
  copy(): void;
  remove(): void;
  download(): void;
}

export class BookmarksMenu {
  readonly button: HTMLButtonElement;
  readonly menu: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly items: Record<string, HTMLButtonElement> = {};

  constructor(
    private readonly bookmarks: Bookmarks,
    private readonly host: BookmarksMenuHost,
  ) {
    this.button = h("button", { class: "tool-btn bookmarks-btn", type: "button", "aria-label": "Bookmarks", title: "Bookmarks", "aria-haspopup": "menu", "aria-expanded": "false" }, icon("star"));
    this.button.addEventListener("click", (e) => {
      e.stopPropagation();
      this.toggle();
    });
    this.button.addEventListener("contextmenu", (e) => {
      e.preventDefault();
      this.toggle();
    });
    this.heading = h("div", { class: "menu-heading" });
    const item = (key: string, text: string, run: () => void) => {
      const b = h("button", { type: "button", role: "menuitem", class: "menu-item", "data-action": key }, text);
      b.addEventListener("click", () => {
        this.close();
        run();
      });
      this.items[key] = b;
      return b;
    };
    this.menu = h("div", { class: "popup-menu bookmarks-menu", role: "menu", "aria-label": "Bookmarks menu", hidden: true },
      this.heading,
      item("toggle", "Show bookmarks", () => (this.host.showing() ? this.host.hide() : this.host.show())),
      item("selectAll", "Bookmark all results", () => this.host.selectAll()),
      item("clear", "Clear bookmarks", () => this.host.clear()),
      item("move", "Move bookmarked images…", () => this.host.move()),
      item("copy", "Copy bookmarked images…", () => this.host.copy()),
      item("download", "Download bookmarked images", () => this.host.download()),
      item("remove", "Delete bookmarked images…", () => this.host.remove()),
    );
    document.addEventListener("click", (e) => {
      if (this.isOpen && !this.menu.contains(e.target as Node)) this.close();
    });
    bookmarks.onChange(() => this.update());
    this.update();
  }

  get isOpen(): boolean {
    return !this.menu.hidden;
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  open(): void {
    this.update();
    this.menu.hidden = false;
    this.button.setAttribute("aria-expanded", "true");
    this.menu.querySelector<HTMLElement>(".menu-item:not([disabled])")?.focus();
  }

  close(): void {
    if (this.menu.contains(document.activeElement)) this.button.focus();
    this.menu.hidden = true;
    this.button.setAttribute("aria-expanded", "false");
  }

  update(): void {
    const n = this.bookmarks.size;
    const label = `Bookmarks (${n})`;
    this.heading.textContent = label;
    this.button.title = label;
    this.button.classList.toggle("has-bookmarks", n > 0);
    this.button.classList.toggle("active", this.host.showing());
    const showing = this.host.showing();
    this.items.toggle.textContent = showing ? "Hide bookmarks" : "Show bookmarks";
    this.items.toggle.disabled = n === 0 && !showing;
    this.items.selectAll.hidden = !this.host.hasResults() || showing;
    for (const k of ["clear", "move", "copy", "download", "remove"]) this.items[k].disabled = n === 0;
  }
}
