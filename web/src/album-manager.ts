// The Album Manager dialog: album cards (name, key, paths, index status, Update/Create Index with
// live progress and Cancel, Edit, Delete), the add form, and first-run setup mode (no albums: the
// dialog cannot be closed and opens with the add form; adding starts indexing at once).
import { Api, ApiError, type Album, type IndexProgress } from "./api";
import { AlbumForm } from "./album-form";
import { releaseFocus, trapFocus } from "./focus-trap";
import { h, clear } from "./dom";
import { formatDate, isRunning } from "./format";
import { IndexProgressView } from "./index-progress";
import { toast } from "./toast";

export interface AlbumManagerHost {
  albumsChanged(albums: Album[]): void; // list reloaded
  indexChanged(key: string): void; // an index finished (re)building
  switchTo(key: string): void;
}

export class AlbumManager {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly addSlot: HTMLElement;
  private readonly closeBtn: HTMLButtonElement;
  private readonly progress = new Map<string, IndexProgressView>();
  private defaultEncoder = "open-clip:ViT-L-14/dfn2b_s39b";
  private setupMode = false;
  private previousFocus: Element | null = null;

  constructor(
    private readonly api: Api,
    private readonly host: AlbumManagerHost,
    private readonly locked: boolean,
    private readonly pickFolder?: (start?: string) => Promise<string | null>,
  ) {
    this.closeBtn = h("button", { class: "icon-btn", type: "button", "aria-label": "Close album manager", onclick: () => this.close() }, "✖");
    this.banner = h("div", { class: "banner", hidden: true });
    this.list = h("div", { class: "album-list", role: "list" });
    this.addSlot = h("div", { class: "add-slot" });
    const addBtn = h("button", { class: "btn btn-green", type: "button", onclick: () => this.showAddForm() }, "+ Add Album");
    if (locked) addBtn.hidden = true;
    const updateAll = h("button", { class: "btn btn-blue", type: "button", onclick: () => void this.updateAll(updateAll) }, "Update All");
    if (locked) updateAll.hidden = true;
    this.el = h(
      "div",
      { class: "modal-backdrop", hidden: true },
      h(
        "section",
        { class: "modal album-manager", role: "dialog", "aria-modal": "true", "aria-labelledby": "album-manager-title" },
        h("header", { class: "modal-header" }, h("h2", { id: "album-manager-title" }, "Album Management"), updateAll, addBtn, this.closeBtn),
        this.banner,
        this.addSlot,
        this.list,
      ),
    );
    trapFocus(this.el);
    this.el.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !this.setupMode) {
        e.stopPropagation();
        this.close();
      }
    });
    void this.api
      .defaultEncoder()
      .then((r) => (this.defaultEncoder = r.encoder_spec || this.defaultEncoder))
      .catch(() => undefined);
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  async open(opts: { setup?: boolean } = {}): Promise<void> {
    this.setupMode = !!opts.setup;
    if (this.el.hidden) this.previousFocus = document.activeElement;
    this.el.hidden = false;
    this.closeBtn.hidden = this.setupMode;
    this.banner.hidden = !this.setupMode;
    this.banner.className = "banner banner-orange";
    this.banner.textContent = "Welcome to photomap! Add an album — a folder of photos — to get started.";
    await this.refresh();
    if (this.setupMode) this.showAddForm();
    else this.closeBtn.focus();
  }

  close(): void {
    if (this.setupMode) return;
    releaseFocus(this.el, this.previousFocus);
    this.el.hidden = true;
    clear(this.addSlot);
  }

  async refresh(): Promise<Album[]> {
    let albums: Album[];
    try {
      albums = await this.api.albums();
    } catch (e) {
      this.list.replaceChildren(h("div", { class: "error-line", role: "alert" }, `Albums cannot be listed: ${(e as Error).message}`));
      return [];
    }
    this.host.albumsChanged(albums);
    for (const [key, view] of this.progress) {
      if (!albums.some((a) => a.key === key)) {
        view.stop();
        this.progress.delete(key);
      }
    }
    this.list.replaceChildren(...albums.map((a) => this.card(a)));
    if (albums.length === 0 && !this.setupMode) this.list.appendChild(h("p", { class: "muted" }, "No albums yet."));
    return albums;
  }

  private showAddForm(): void {
    clear(this.addSlot);
    const form = new AlbumForm(
      true,
      {},
      this.defaultEncoder,
      async (json) => {
        try {
          await this.api.addAlbum(json);
        } catch (e) {
          toast(`Could not add the album: ${(e as Error).message}`, "error");
          return;
        }
        clear(this.addSlot);
        const albums = await this.refresh();
        if (this.setupMode) {
          this.banner.className = "banner banner-green";
          this.banner.textContent = "Setup in progress! Your album is being indexed; this window closes when indexing finishes.";
        }
        this.host.switchTo(json.key);
        if (albums.some((a) => a.key === json.key)) await this.startIndex(json.key);
      },
      this.setupMode ? null : () => clear(this.addSlot),
      this.pickFolder,
    );
    this.addSlot.appendChild(h("h3", {}, "Add Album"));
    this.addSlot.appendChild(form.el);
    form.focusFirst();
  }

  private progressFor(key: string): IndexProgressView {
    let v = this.progress.get(key);
    if (!v) {
      v = new IndexProgressView(this.api, key, (p) => this.onIndexFinished(key, p));
      this.progress.set(key, v);
    }
    return v;
  }

  private onIndexFinished(key: string, p: IndexProgress | null): void {
    void this.updateStatusLine(key);
    if (p && p.status === "completed") {
      this.host.indexChanged(key);
      if (this.setupMode) {
        this.setupMode = false;
        this.closeBtn.hidden = false;
        window.setTimeout(() => this.close(), 1500);
      }
    } else if (this.setupMode) {
      // Cancelled or failed: let the user out of setup mode; the album exists.
      this.setupMode = false;
      this.closeBtn.hidden = false;
      this.banner.hidden = true;
    }
  }

  async startIndex(key: string, retries = 15): Promise<void> {
    const view = this.progressFor(key);
    try {
      await this.api.startIndex(key);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        // A job is running: follow it. Right after a cancel the old job may still be winding
        // down although its status already reads "error": try again shortly.
        const p = await this.api.indexProgress(key).catch(() => null);
        if (p && !isRunning(p) && retries > 0) {
          await new Promise((r) => window.setTimeout(r, 400));
          return this.startIndex(key, retries - 1);
        }
        view.attach();
        return;
      }
      const msg = e instanceof ApiError && (e.status === 404 || e.status === 405) && e.detail === "Not Found"
        ? "Indexing is not available on this server yet."
        : (e as Error).message;
      view.showError(msg);
      toast(`Could not start indexing: ${msg}`, "error");
      this.onIndexFinished(key, null);
      return;
    }
    view.attach();
  }

  // Re-indexes every album, two at a time (as PhotoMapAI), showing "Updating k/N…".
  private async updateAll(btn: HTMLElement): Promise<void> {
    const keys = [...this.progress.keys()];
    if (keys.length === 0) return;
    btn.setAttribute("disabled", "");
    let done = 0;
    const label = () => (btn.textContent = `Updating ${done}/${keys.length}…`);
    label();
    const queue = [...keys];
    const worker = async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        await this.startIndex(key);
        await this.progressFor(key).finished();
        done++;
        label();
      }
    };
    await Promise.all([worker(), worker()]);
    btn.textContent = "Update All";
    btn.removeAttribute("disabled");
  }

  private card(a: Album): HTMLElement {
    const status = h("div", { class: "index-status", "data-album": a.key }, "Checking index…");
    const view = this.progressFor(a.key);
    const updateBtn = h("button", { class: "btn btn-blue", type: "button", onclick: () => void this.startIndex(a.key) }, "Update Index");
    updateBtn.dataset.role = "update-index";
    const editSlot = h("div", { class: "edit-slot" });
    const edit = () => {
      clear(editSlot);
      const form = new AlbumForm(false, a, this.defaultEncoder, async (json) => {
        try {
          await this.api.updateAlbum(json);
          toast(`Album '${a.key}' saved.`);
          await this.refresh();
        } catch (e) {
          toast(`Could not save the album: ${(e as Error).message}`, "error");
        }
      }, () => clear(editSlot), this.pickFolder);
      editSlot.appendChild(form.el);
      form.focusFirst();
    };
    const del = async () => {
      if (!window.confirm(`Delete album '${a.name}'? The photos and index files stay on disk.`)) return;
      try {
        await this.api.deleteAlbum(a.key);
        this.progress.get(a.key)?.stop();
        this.progress.delete(a.key);
        await this.refresh();
      } catch (e) {
        toast(`Could not delete the album: ${(e as Error).message}`, "error");
      }
    };
    const buttons = h(
      "div",
      { class: "card-buttons" },
      updateBtn,
      this.locked ? null : h("button", { class: "btn btn-orange", type: "button", onclick: edit }, "Edit"),
      this.locked ? null : h("button", { class: "btn btn-red", type: "button", onclick: () => void del() }, "Delete"),
      h("button", { class: "btn", type: "button", onclick: () => { this.host.switchTo(a.key); this.close(); } }, "Open"),
    );
    const el = h(
      "article",
      { class: "album-card", role: "listitem", "data-album": a.key, "aria-label": a.name },
      h("h3", {}, a.name),
      h("div", { class: "muted" }, `Key: ${a.key}`),
      a.description ? h("div", {}, a.description) : null,
      h("div", { class: "muted paths" }, `Paths: ${(a.image_paths ?? []).join(", ")}`),
      status,
      view.el,
      buttons,
      editSlot,
    );
    void this.updateStatusLine(a.key, status, updateBtn);
    void view.probe();
    return el;
  }

  private async updateStatusLine(key: string, statusEl?: HTMLElement, btn?: HTMLElement): Promise<void> {
    const card = this.list.querySelector(`article[data-album="${CSS.escape(key)}"]`);
    const status = statusEl ?? card?.querySelector<HTMLElement>(".index-status");
    const button = btn ?? card?.querySelector<HTMLElement>('[data-role="update-index"]');
    if (!status) return;
    try {
      const m = await this.api.indexMetadata(key);
      status.className = "index-status ok";
      status.textContent = `Index updated ${formatDate(m.last_modified)} (${m.filename_count} images)`;
      if (button) button.textContent = "Update Index";
    } catch (e) {
      status.className = "index-status missing";
      status.textContent = e instanceof ApiError && e.status === 404 ? "No index present" : `Index status unavailable: ${(e as Error).message}`;
      if (button) button.textContent = "Create Index";
    }
  }
}
