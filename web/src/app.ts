// The application: owns the store and every component, wires their events, loads albums and
// their index size, and maps keyboard actions to behaviour. Bookmarks, the back stack and the
// file operations are wired in lists.ts.
import { FolderPicker } from "./folder-picker";
import { AlbumManager } from "./album-manager";
import { Api, ApiError, safeRelativeUrl, type Album } from "./api";
import type { SlideshowConfig } from "./config";
import { h } from "./dom";
import { GridView } from "./grid";
import { HelpOverlay } from "./help-overlay";
import { icon, type IconName } from "./icons";
import { installKeyboard, type Action } from "./keyboard";
import { Lists } from "./lists";
import { MapWindow } from "./map-window";
import { MetadataDrawer } from "./metadata-drawer";
import { SearchPanel } from "./search-panel";
import { SeekSlider } from "./seek-slider";
import { loadSettings, SettingsDialog } from "./settings-dialog";
import { SlideCache } from "./slide-cache";
import { Slideshow } from "./slideshow";
import { Store } from "./store";
import { toast } from "./toast";
import { Viewer } from "./viewer";

const LAST_ALBUM = "photomap.album";

function iconButton(label: string, name: IconName, onclick: () => void, extra: Record<string, string> = {}): HTMLButtonElement {
  return h("button", { class: "tool-btn", type: "button", "aria-label": label, title: label, onclick, ...extra }, icon(name));
}

export class App {
  readonly api = new Api();
  readonly folderPicker = new FolderPicker(this.api);
  readonly store: Store;
  readonly viewer: Viewer;
  readonly grid: GridView;
  readonly manager: AlbumManager;
  readonly search: SearchPanel;
  readonly drawer: MetadataDrawer;
  readonly map: MapWindow;
  readonly help = new HelpOverlay();
  readonly settings: SettingsDialog;
  readonly slideshow: Slideshow;
  readonly seek: SeekSlider;
  readonly lists: Lists;
  private readonly albumSelect: HTMLSelectElement;
  private readonly playBtn: HTMLButtonElement;
  private readonly gridBtn: HTMLButtonElement;
  private readonly clearBtn: HTMLButtonElement;
  cache: SlideCache | null = null;
  private loadToken = 0;

  constructor(
    root: HTMLElement,
    private readonly config: SlideshowConfig,
  ) {
    this.store = new Store(loadSettings({ delay: config.currentDelay, mode: config.mode, wrap: true }));
    if (config.currentDelay !== 5) this.store.settings.delay = config.currentDelay;
    this.slideshow = new Slideshow(this.store);
    this.viewer = new Viewer(this.store, () => this.slideshow.stop(), () => this.store.setView("grid"));
    this.grid = new GridView(this.store, (pos) => {
      this.store.setPosition(pos);
      this.store.setView("single");
    });
    this.manager = new AlbumManager(this.api, {
      albumsChanged: (albums) => this.setAlbums(albums),
      indexChanged: (key) => {
        if (this.store.album?.key === key) void this.loadAlbum(key, true);
      },
      switchTo: (key) => void this.loadAlbum(key),
    }, config.albumLocked, (start) => this.folderPicker.pick("Add an image folder", start));
    this.search = new SearchPanel(this.api, {
      album: () => this.store.album,
      currentImageUrl: async () => {
        const i = this.store.currentIndex;
        if (!this.cache || i < 0) return null;
        const slide = await this.cache.get(i).catch(() => null);
        return slide && slide.media_type === "image" ? safeRelativeUrl(slide.image_url) : null;
      },
      showResults: (results, label) => {
        this.slideshow.stop();
        this.lists.pushBack();
        this.store.setResults(results, label);
      },
      clearResults: () => this.store.setResults(null),
    });
    this.drawer = new MetadataDrawer(this.api);
    this.map = new MapWindow(this.api, (index) => this.openAlbumIndex(index), (members, label, first) => {
      this.slideshow.stop();
      this.lists.pushBack();
      this.store.setResults(members.map((index) => ({ index })), label, "cluster", first === null ? 0 : Math.max(0, members.indexOf(first)));
    });
    this.lists = new Lists(this, config.albumLocked);
    this.seek = new SeekSlider(this.api, this.store, (pos) => {
      this.slideshow.stop();
      if (pos !== this.store.pos) this.lists.pushBack();
      this.store.setPosition(pos);
    });
    this.viewer.pill.addEventListener("click", () => this.seek.toggle());
    this.settings = new SettingsDialog(this.store.settings, () => this.store.emit("settings"), () => void this.manager.open());

    this.albumSelect = h("select", { id: "album-select", "aria-label": "Album" });
    this.albumSelect.addEventListener("change", () => void this.loadAlbum(this.albumSelect.value));
    this.playBtn = iconButton("Play slideshow", "play", () => this.slideshow.toggle());
    this.gridBtn = iconButton("Grid view", "grid", () => this.toggleGrid(), { "aria-pressed": "false" });
    this.clearBtn = iconButton("Clear search", "clear", () => this.search.clear());
    this.clearBtn.hidden = true;

    const controls = h(
      "nav",
      { class: "toolbar toolbar-left", "aria-label": "Controls" },
      iconButton("Settings", "settings", () => this.settings.open()),
      iconButton("Manage albums", "albums", () => void this.manager.open()),
      iconButton("Fullscreen", "fullscreen", () => this.toggleFullscreen(), { class: "tool-btn desk-only" }),
      this.gridBtn,
      this.playBtn,
      this.lists.backBtn,
      this.lists.deleteBtn,
      iconButton("Keyboard shortcuts", "help", () => this.help.toggle(), { class: "tool-btn desk-only" }),
    );
    const searchBtn = iconButton("Search", "search", () => this.search.open());
    searchBtn.addEventListener("dragover", (e) => e.preventDefault());
    searchBtn.addEventListener("drop", (e) => {
      e.preventDefault();
      const f = e.dataTransfer?.files?.[0];
      if (f) void this.search.searchWithFile(f);
    });
    const searchBar = h("nav", { class: "toolbar toolbar-right", "aria-label": "Search" }, this.lists.menu.button, iconButton("Semantic map", "map", () => this.map.toggle()), searchBtn, this.clearBtn);
    const top = h("div", { class: "topbar" }, h("div", { class: "pill-row" }, this.lists.starBtn, this.viewer.pill), h("div", { class: "album-switch" }, this.albumSelect));
    root.append(this.viewer.el, this.grid.el, this.seek.el, top, this.drawer.tab, this.drawer.el, this.map.el, controls, searchBar, this.lists.menu.menu, this.lists.flyout.el, this.search.el, this.settings.el, this.help.el, this.manager.el);

    this.store.on((c) => this.onChange(c));
    this.slideshow.onChange(() => this.updatePlayButton());
    this.updatePlayButton();
    installKeyboard((a, e) => this.onKey(a, e));
  }

  async start(): Promise<void> {
    let albums: Album[];
    try {
      albums = await this.api.albums();
    } catch (e) {
      this.viewer.showEmpty(`Albums cannot be loaded: ${(e as Error).message}`);
      if (e instanceof ApiError && e.status === 500) await this.manager.open();
      return;
    }
    this.setAlbums(albums);
    if (albums.length === 0) {
      this.viewer.showEmpty("No albums yet.");
      await this.manager.open({ setup: true });
      return;
    }
    const stored = localStorage.getItem(LAST_ALBUM);
    const want = this.config.album ?? (albums.some((a) => a.key === stored) ? stored : null) ?? albums[0].key;
    await this.loadAlbum(albums.some((a) => a.key === want) ? want : albums[0].key);
  }

  private setAlbums(albums: Album[]): void {
    this.store.albums = albums;
    this.albumSelect.replaceChildren(...albums.map((a) => h("option", { value: a.key }, a.name)));
    if (this.store.album) this.albumSelect.value = this.store.album.key;
    this.albumSelect.parentElement!.hidden = albums.length < 2;
    if (this.store.album && !albums.some((a) => a.key === this.store.album!.key)) {
      // The current album was deleted: switch to the first remaining one.
      if (albums.length) {
        toast(`Album switched to ${albums[0].name}`);
        void this.loadAlbum(albums[0].key);
      } else {
        this.store.album = null;
        this.viewer.showEmpty("No albums yet.");
      }
    }
  }

  // Loads an album (or refreshes it after indexing, keeping the position).
  async loadAlbum(key: string, keepPosition = false): Promise<void> {
    const token = ++this.loadToken;
    let album = this.store.albums.find((a) => a.key === key) ?? null;
    if (!album) {
      try {
        album = await this.api.album(key);
      } catch (e) {
        toast(`Album '${key}' cannot be opened: ${(e as Error).message}`, "error");
        return;
      }
    }
    const switched = this.store.album?.key !== key;
    this.slideshow.stop();
    this.store.album = album;
    this.albumSelect.value = key;
    document.title = `${album.name} — photomap`;
    try {
      localStorage.setItem(LAST_ALBUM, key);
    } catch {
      // ignore
    }
    if (switched) {
      this.search.albumChanged();
      this.lists.albumChanged(key);
    }
    this.map.setAlbum(key);
    this.cache = new SlideCache(this.api, key);
    this.viewer.cache = this.cache;
    this.grid.album = key;
    let total = 0;
    try {
      total = (await this.api.indexMetadata(key)).filename_count;
      this.store.indexState = "ready";
    } catch (e) {
      this.store.indexState = e instanceof ApiError && e.status === 404 ? "missing" : "unavailable";
    }
    if (token !== this.loadToken) return;
    const pos = keepPosition ? this.store.pos : 0;
    this.store.total = total;
    this.store.results = null;
    this.store.listKind = null;
    this.store.searchLabel = "";
    this.store.pos = Math.max(0, Math.min(pos, total - 1));
    if (this.store.indexState === "ready") this.lists.indexLoaded(total);
    this.store.emit("album");
  }

  // The server's index changed under us (delete, move): re-read its size, renumber the lists,
  // drop cached slides, and keep the position so the next image slides in.
  async indexChanged(deleted: number[]): Promise<void> {
    const key = this.store.album?.key;
    if (!key) return;
    let total = Math.max(0, this.store.total - deleted.length);
    try {
      total = (await this.api.indexMetadata(key)).filename_count;
    } catch {
      // keep the estimate; the next album load corrects it
    }
    this.cache = new SlideCache(this.api, key);
    this.viewer.cache = this.cache;
    this.lists.afterDelete(deleted, total);
    this.store.applyDelete(deleted, total);
    this.map.invalidate();
  }

  private onChange(c: string): void {
    const s = this.store;
    this.seek.update();
    this.lists.update();
    if (c === "album" || c === "list") {
      this.clearBtn.hidden = !s.results;
      this.grid.reset();
    }
    if (c === "view") {
      const grid = s.view === "grid";
      this.grid.el.hidden = !grid;
      this.viewer.el.hidden = grid;
      this.gridBtn.setAttribute("aria-pressed", String(grid));
      this.gridBtn.classList.toggle("active", grid);
      if (grid) {
        this.slideshow.stop();
        this.grid.render();
        this.grid.reveal();
        this.grid.el.focus({ preventScroll: true });
      }
    }
    if (c === "settings") this.updatePlayButton();
    if (!s.album) return;
    if (s.length === 0) {
      const msg =
        s.results ? "No images match your search." :
        s.indexState === "missing" ? "No index yet for this album. Open the Album Manager and click Create Index." :
        s.indexState === "unavailable" ? "This album's index cannot be read right now." :
        "This album has no images.";
      this.viewer.showEmpty(msg);
      this.drawer.setImage(s.album.key, -1, null);
      return;
    }
    void this.viewer.render();
    if (s.view === "grid") this.grid.reveal();
    const index = s.currentIndex;
    const key = s.album.key;
    this.map.setCurrent(index);
    this.cache?.get(index).then((slide) => this.drawer.setImage(key, index, slide)).catch(() => this.drawer.setImage(key, index, null));
  }

  // A dot on the map was clicked: show that image (inside the search results when it is one).
  openAlbumIndex(index: number, recordJump = true): void {
    const s = this.store;
    this.slideshow.stop();
    if (recordJump && index !== s.currentIndex) this.lists.pushBack();
    if (s.results) {
      const pos = s.results.findIndex((r) => r.index === index);
      if (pos >= 0) return s.setPosition(pos);
      s.setResults(null);
    }
    s.setPosition(index);
  }

  private updatePlayButton(): void {
    const running = this.slideshow.running;
    const mode = this.store.settings.mode === "random" ? "shuffled" : "sequential";
    this.playBtn.setAttribute("aria-label", running ? "Pause slideshow" : "Play slideshow");
    this.playBtn.title = running ? "Pause slideshow (Space)" : `Play slideshow, ${mode} (Space)`;
    this.playBtn.replaceChildren(icon(running ? "pause" : mode === "shuffled" ? "shuffle" : "play"));
    this.playBtn.classList.toggle("active", running);
  }

  private toggleGrid(): void {
    this.store.setView(this.store.view === "grid" ? "single" : "grid");
  }

  private toggleFullscreen(): void {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void document.documentElement.requestFullscreen?.().catch(() => undefined);
  }

  private onKey(a: Action, e: KeyboardEvent): boolean {
    const modal = this.manager.isOpen || this.settings.isOpen || this.help.isOpen;
    if (a === "escape") {
      if (this.lists.menu.isOpen) this.lists.menu.close();
      else if (this.lists.flyout.isOpen) this.lists.flyout.close();
      else if (this.help.isOpen) this.help.close();
      else if (this.settings.isOpen) this.settings.close();
      else if (this.manager.isOpen) this.manager.close();
      else if (this.search.isOpen) this.search.close();
      else if (this.map.isOpen) this.map.close();
      else if (this.drawer.isOpen) this.drawer.hide();
      else if (this.store.view === "grid") this.store.setView("single");
      else return false;
      return true;
    }
    if (a === "help" && !this.manager.isOpen) {
      this.help.toggle();
      return true;
    }
    if (modal || this.search.isOpen) return false;
    if ((e.target as HTMLElement | null)?.closest?.("button") && (a === "slideshow")) return false;
    switch (a) {
      case "next":
      case "prev":
        this.slideshow.stop();
        this.store.move(a === "next" ? 1 : -1);
        return true;
      case "first":
        this.store.setPosition(0);
        return true;
      case "last":
        this.store.setPosition(this.store.length - 1);
        return true;
      case "grid":
        this.toggleGrid();
        return true;
      case "slideshow":
        this.slideshow.toggle();
        return true;
      case "showDrawer":
        this.drawer.show();
        return true;
      case "hideDrawer":
        this.drawer.hide();
        return true;
      case "toggleDrawer":
        this.drawer.toggle();
        return true;
      case "fullscreen":
        this.toggleFullscreen();
        return true;
      case "search":
        this.search.open();
        return true;
      case "map":
        this.map.toggle();
        return true;
      case "bookmark":
        this.lists.toggleBookmark();
        return true;
      case "back":
        return this.lists.back();
      default:
        return false;
    }
  }
}
