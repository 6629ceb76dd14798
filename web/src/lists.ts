// Glue for the browsing lists that are not searches: bookmarks (the ☆/★ next to the pill, `b`,
// the bookmarks menu), the back stack (Back button, Backspace; every jump is also a browser
// history entry, so the browser's Back / Forward move between jumps) and the file operations (the
// trash button for the current image; move / copy (to a folder from the folder picker) / download
// / delete of the bookmarked images). Owned by
// App; everything goes through App's store, so the grid, map and seek slider follow.
import type { App } from "./app";
import { BackFlyout } from "./back-flyout";
import { BackStack } from "./back-stack";
import { Bookmarks, type KeyValueStorage } from "./bookmarks";
import { BookmarksMenu } from "./bookmarks-menu";
import { h } from "./dom";
import { FileActions } from "./file-actions";
import { icon } from "./icons";
import type { ListItem } from "./api";
import type { ListKind } from "./store";

function browserStorage(): KeyValueStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

interface SavedList {
  results: ListItem[] | null;
  label: string;
  kind: ListKind | null;
}

export class Lists {
  readonly bookmarks = new Bookmarks(browserStorage());
  readonly backStack = new BackStack();
  readonly menu: BookmarksMenu;
  readonly flyout: BackFlyout;
  readonly starBtn: HTMLButtonElement;
  readonly backBtn: HTMLButtonElement;
  readonly deleteBtn: HTMLButtonElement;
  private readonly files: FileActions;
  private saved: SavedList | null = null;

  constructor(private readonly app: App, locked: boolean) {
    const store = app.store;
    this.starBtn = h("button", { class: "star-btn", type: "button", "aria-label": "Bookmark this image", title: "Bookmark (b)", "aria-pressed": "false", onclick: () => this.toggleBookmark() }, "☆");
    this.backBtn = h("button", { class: "tool-btn", type: "button", "aria-label": "Back", title: "Back (Backspace); right-click for recent positions", disabled: true, onclick: () => this.back() }, icon("back"));
    this.flyout = new BackFlyout((index) => {
      if (index !== store.currentIndex) app.openAlbumIndex(index);
    });
    const openFlyout = (e: Event) => {
      e.preventDefault();
      e.stopPropagation();
      if (store.album) this.flyout.open(store.album.key, this.backStack.recent(12));
    };
    this.backBtn.addEventListener("contextmenu", openFlyout);
    let press = 0;
    this.backBtn.addEventListener("touchstart", (e) => (press = window.setTimeout(() => openFlyout(e), 600)), { passive: true });
    this.backBtn.addEventListener("touchend", () => window.clearTimeout(press));
    this.deleteBtn = h("button", { class: "tool-btn", type: "button", "aria-label": "Delete image", title: "Delete this image", hidden: locked, onclick: () => void this.deleteCurrent() }, icon("trash"));
    this.files = new FileActions(app.api, {
      album: () => store.album?.key ?? null,
      trash: () => store.settings.trash !== false,
      confirm: () => store.settings.confirmDelete !== false,
      changed: (deleted) => app.indexChanged(deleted),
    }, undefined, (title) => app.folderPicker.pick(title, store.album?.image_paths?.[0]));
    this.menu = new BookmarksMenu(this.bookmarks, {
      showing: () => store.listKind === "bookmarks",
      hasResults: () => store.results !== null,
      show: () => this.showBookmarks(),
      hide: () => this.hideBookmarks(),
      selectAll: () => this.bookmarks.addAll(store.results?.map((r) => r.index) ?? []),
      clear: () => {
        if (window.confirm(`Clear all ${this.bookmarks.size} bookmarks of this album?`)) this.bookmarks.clear();
      },
      move: () => void this.files.moveOrCopy(this.bookmarks.list(), true),
      copy: () => void this.files.moveOrCopy(this.bookmarks.list(), false),
      remove: () => void this.files.deleteMany(this.bookmarks.list()),
      download: () => void this.files.download(this.bookmarks.list()),
    });
    if (locked) for (const k of ["move", "remove"]) this.menu.menu.querySelector<HTMLElement>(`[data-action="${k}"]`)!.hidden = true;
    app.grid.isBookmarked = (i) => this.bookmarks.has(i);
    app.grid.onStar = (i) => this.bookmarks.toggle(i);
    window.addEventListener("popstate", (e) => {
      const st = e.state as { photomap?: number; album?: string } | null;
      if (typeof st?.photomap === "number" && st.album === store.album?.key && st.photomap !== store.currentIndex) app.openAlbumIndex(st.photomap, false);
    });
    this.bookmarks.onChange(() => {
      if (store.listKind === "bookmarks") this.refreshBookmarkList();
      this.update();
      app.grid.refreshStars();
    });
  }

  albumChanged(key: string): void {
    this.app.store.listKind = null; // the old album's list is dropped by the album load
    this.bookmarks.load(key);
    this.backStack.clear();
    this.flyout.close();
    this.saved = null;
  }

  // The album's index was (re)loaded with `total` images: forget entries past its end.
  indexLoaded(total: number): void {
    this.bookmarks.trim(total);
    this.backStack.trim(total);
  }

  afterDelete(deleted: number[], total: number): void {
    if (deleted.length) {
      this.bookmarks.afterDelete(deleted);
      this.backStack.afterDelete(deleted);
    }
    this.indexLoaded(total);
  }

  // Records the image on screen before a coarse jump.
  pushBack(): void {
    const s = this.app.store;
    const album = s.album?.key;
    this.backStack.push(s.currentIndex);
    this.update();
    if (!album || s.currentIndex < 0) return;
    // The jump itself happens right after this call: record where it landed once it has.
    history.replaceState({ photomap: s.currentIndex, album }, "");
    queueMicrotask(() => {
      if (s.album?.key === album && s.currentIndex >= 0) history.pushState({ photomap: s.currentIndex, album }, "");
    });
  }

  back(): boolean {
    const s = this.app.store;
    const index = this.backStack.pop(s.currentIndex);
    this.update();
    if (index === null) return false;
    this.app.openAlbumIndex(index, false);
    return true;
  }

  toggleBookmark(): void {
    const i = this.app.store.currentIndex;
    if (i >= 0) this.bookmarks.toggle(i);
  }

  private showBookmarks(): void {
    const s = this.app.store;
    if (this.bookmarks.size === 0) return;
    if (s.listKind !== "bookmarks") this.saved = { results: s.results, label: s.searchLabel, kind: s.listKind };
    this.app.slideshow.stop();
    this.pushBack();
    const list = this.bookmarks.list();
    s.setResults(list.map((index) => ({ index })), "Bookmarks", "bookmarks", Math.max(0, list.indexOf(s.currentIndex)));
  }

  private hideBookmarks(): void {
    const s = this.app.store;
    const saved = this.saved;
    this.saved = null;
    if (saved?.results) {
      const index = s.currentIndex;
      s.setResults(saved.results, saved.label, saved.kind ?? "search", Math.max(0, saved.results.findIndex((r) => r.index === index)));
    } else {
      s.setResults(null);
    }
  }

  private refreshBookmarkList(): void {
    const s = this.app.store;
    const list = this.bookmarks.list();
    if (list.length === 0) return this.hideBookmarks();
    const index = s.currentIndex;
    const at = list.indexOf(index);
    s.setResults(list.map((i) => ({ index: i })), "Bookmarks", "bookmarks", at >= 0 ? at : Math.min(s.pos, list.length - 1));
  }

  private async deleteCurrent(): Promise<void> {
    const s = this.app.store;
    const index = s.currentIndex;
    if (index < 0 || !this.app.cache) return;
    this.app.slideshow.stop();
    const slide = await this.app.cache.get(index).catch(() => null);
    await this.files.deleteOne(index, slide?.filename ?? `image ${index}`);
  }

  // Star, back button and menu follow the store.
  update(): void {
    const i = this.app.store.currentIndex;
    const on = i >= 0 && this.bookmarks.has(i);
    this.starBtn.textContent = on ? "★" : "☆";
    this.starBtn.setAttribute("aria-pressed", String(on));
    this.starBtn.setAttribute("aria-label", on ? "Remove the bookmark" : "Bookmark this image");
    this.starBtn.hidden = i < 0;
    this.deleteBtn.disabled = i < 0;
    this.backBtn.disabled = this.backStack.size === 0;
    this.menu.update();
  }
}
