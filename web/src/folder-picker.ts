// Folder picker dialog over the server's file-tree routes (backend-spec §1.8): a breadcrumb of
// the current folder, its sub-folders (▸ expands one in place when it has children; a click
// selects it; a double-click or "Open" enters it), "Show hidden folders", Up, Home and
// "New folder" (create_directory in the selected or current folder; the server's detail is shown
// on errors). pick() resolves with the chosen absolute path (the selected folder, else the
// current one), or null when cancelled (Esc, ✖, Cancel, a click outside).
// Keys: ↑/↓ move between folders, → expands (again: enters), ← collapses (or goes to the parent
// row), Enter selects, Esc closes; Tab stays inside the dialog.
// Server strings go in through textContent / attributes only.
import type { Api, DirectoryEntry, DirectoryListing } from "./api";
import { h, clear } from "./dom";
import { releaseFocus, trapFocus } from "./focus-trap";

export interface Crumb {
  name: string;
  path: string;
}

// "/a/b" → [{"/","/"}, {"a","/a"}, {"b","/a/b"}]; Windows-style "C:\\x" keeps its drive root.
export function breadcrumbs(path: string): Crumb[] {
  if (!path) return [];
  const win = /^[A-Za-z]:[\\/]/.test(path);
  const sep = win ? "\\" : "/";
  const parts = path.split(/[\\/]+/).filter(Boolean);
  const out: Crumb[] = [];
  if (!win) out.push({ name: "/", path: "/" });
  let acc = "";
  parts.forEach((p, i) => {
    acc = win ? (i === 0 ? `${p}${sep}` : `${acc}${acc.endsWith(sep) ? "" : sep}${p}`) : `${acc}/${p}`;
    out.push({ name: p, path: acc });
  });
  return out;
}

// The parent of an absolute path, or null at the root.
export function parentPath(path: string): string | null {
  const crumbs = breadcrumbs(path);
  return crumbs.length >= 2 ? crumbs[crumbs.length - 2].path : null;
}

// Defensive parse of a filetree/directories reply: drops malformed entries.
export function parseListing(body: unknown): DirectoryListing {
  const o = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const dirs = Array.isArray(o.directories) ? o.directories : [];
  return {
    currentPath: typeof o.currentPath === "string" ? o.currentPath : "",
    isRoot: o.isRoot === true,
    directories: dirs
      .filter((d): d is Record<string, unknown> => !!d && typeof d === "object" && typeof (d as DirectoryEntry).name === "string" && typeof (d as DirectoryEntry).path === "string")
      .map((d) => ({ name: d.name as string, path: d.path as string, hasChildren: d.hasChildren === true })),
  };
}

export class FolderPicker {
  readonly el: HTMLElement;
  private readonly titleEl: HTMLElement;
  private readonly crumbs: HTMLElement;
  private readonly list: HTMLElement;
  private readonly selectedEl: HTMLElement;
  private readonly error: HTMLElement;
  private readonly hidden: HTMLInputElement;
  private readonly newRow: HTMLElement;
  private readonly newName: HTMLInputElement;
  private readonly upBtn: HTMLButtonElement;
  private current = "";
  private selected: string | null = null;
  private resolve: ((p: string | null) => void) | null = null;
  private restoreFocus: Element | null = null;
  private token = 0;

  constructor(private readonly api: Api) {
    const btn = (text: string, attrs: Record<string, string>, run: () => void) =>
      h("button", { type: "button", class: "btn", ...attrs, onclick: () => run() }, text);
    this.titleEl = h("h2", { id: "folder-picker-title" }, "Choose a folder");
    this.crumbs = h("nav", { class: "folder-crumbs", "aria-label": "Current folder" });
    this.list = h("ul", { class: "folder-list", role: "tree", "aria-label": "Folders" });
    this.selectedEl = h("div", { class: "folder-selected", "aria-live": "polite" });
    this.error = h("div", { class: "field-error folder-error", role: "alert" });
    this.hidden = h("input", { type: "checkbox", id: "folder-show-hidden" });
    this.hidden.addEventListener("change", () => void this.load(this.current));
    this.upBtn = btn("Up", { "aria-label": "Parent folder" }, () => {
      const p = parentPath(this.current);
      if (p) void this.load(p);
    });
    this.newName = h("input", { type: "text", id: "folder-new-name", "aria-label": "New folder name", autocomplete: "off", spellcheck: "false" });
    this.newName.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        void this.createFolder();
      }
    });
    this.newRow = h("div", { class: "folder-new", hidden: true }, this.newName, btn("Create", {}, () => void this.createFolder()));
    const close = h("button", { type: "button", class: "icon-btn", "aria-label": "Close folder picker", onclick: () => this.finish(null) }, "✖");
    const dialog = h(
      "div",
      { class: "modal folder-picker", role: "dialog", "aria-modal": "true", "aria-labelledby": "folder-picker-title" },
      h("header", { class: "modal-header" }, this.titleEl, close),
      h("div", { class: "folder-toolbar" },
        this.upBtn,
        btn("Home", { "aria-label": "Home folder" }, () => void this.goHome()),
        btn("New folder", {}, () => this.showNewFolder()),
        h("label", { class: "folder-hidden-toggle", for: "folder-show-hidden" }, this.hidden, " Show hidden folders")),
      this.crumbs,
      this.newRow,
      this.error,
      this.list,
      this.selectedEl,
      h("div", { class: "form-buttons" },
        btn("Choose", { class: "btn btn-green", "data-role": "choose" }, () => this.finish(this.selected ?? this.current)),
        btn("Cancel", {}, () => this.finish(null))),
    );
    this.el = h("div", { class: "modal-backdrop folder-picker-backdrop", hidden: true }, dialog);
    this.el.addEventListener("click", (e) => {
      if (e.target === this.el) this.finish(null);
    });
    this.el.addEventListener("keydown", (e) => this.onKey(e));
    trapFocus(dialog);
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  // Opens the dialog at `start` (or the server's home folder) and resolves with the choice.
  pick(title: string, start?: string): Promise<string | null> {
    if (this.resolve) this.finish(null);
    if (!this.el.isConnected) document.body.appendChild(this.el);
    this.titleEl.textContent = title;
    this.restoreFocus = document.activeElement;
    this.el.hidden = false;
    this.newRow.hidden = true;
    this.error.textContent = "";
    const p = new Promise<string | null>((r) => (this.resolve = r));
    void (start ? this.load(start).then((ok) => ok || this.goHome()) : this.goHome());
    return p;
  }

  private finish(path: string | null): void {
    const r = this.resolve;
    this.resolve = null;
    this.token++;
    releaseFocus(this.el, this.restoreFocus);
    this.el.hidden = true;
    r?.(path && path !== "" ? path : null);
  }

  private async goHome(): Promise<boolean> {
    try {
      const { homePath } = await this.api.home();
      if (await this.load(homePath)) return true;
    } catch (e) {
      this.error.textContent = `The home folder cannot be read: ${(e as Error).message}`;
    }
    return this.load(""); // the browse root
  }

  // Shows `path`'s sub-folders; false (with the reason shown) when it cannot be listed.
  private async load(path: string): Promise<boolean> {
    const token = ++this.token;
    let listing: DirectoryListing;
    try {
      listing = parseListing(await this.api.directories(path, this.hidden.checked));
    } catch (e) {
      if (token === this.token) this.error.textContent = `${path || "The root"} cannot be listed: ${(e as Error).message}`;
      return false;
    }
    if (token !== this.token) return false;
    this.error.textContent = "";
    this.current = listing.currentPath;
    this.select(null);
    this.upBtn.disabled = parentPath(this.current) === null;
    clear(this.crumbs);
    const crumbs = breadcrumbs(this.current);
    crumbs.forEach((c, i) => {
      const last = i === crumbs.length - 1;
      this.crumbs.appendChild(h("button", { type: "button", class: "crumb", "data-path": c.path, "aria-current": last ? "location" : null, onclick: () => void this.load(c.path) }, c.name));
      if (!last && c.name !== "/") this.crumbs.appendChild(h("span", { class: "crumb-sep", "aria-hidden": "true" }, "/"));
    });
    clear(this.list);
    this.fill(this.list, listing.directories, 1);
    if (listing.directories.length === 0) this.list.appendChild(h("li", { class: "folder-empty" }, "No sub-folders."));
    this.focusFirst();
    return true;
  }

  private fill(ul: HTMLElement, dirs: DirectoryEntry[], level: number): void {
    for (const d of dirs) ul.appendChild(this.row(d, level));
  }

  private row(d: DirectoryEntry, level: number): HTMLElement {
    const li = h("li", { class: "folder-row", role: "treeitem", "aria-level": level, "aria-selected": "false", "data-path": d.path, "aria-expanded": d.hasChildren ? "false" : null });
    const expand = h("button", { type: "button", class: "folder-expand", "aria-label": `Expand ${d.name}`, tabindex: "-1", disabled: !d.hasChildren }, d.hasChildren ? "▸" : "");
    const name = h("button", { type: "button", class: "folder-name", title: `${d.path} (double-click to open)` }, d.name);
    const open = h("button", { type: "button", class: "folder-open", "aria-label": `Open ${d.name}`, tabindex: "-1" }, "Open");
    expand.addEventListener("click", () => void this.toggle(li, d, level));
    name.addEventListener("click", () => this.select(d.path));
    name.addEventListener("dblclick", () => void this.load(d.path));
    open.addEventListener("click", () => void this.load(d.path));
    li.append(h("div", { class: "folder-line" }, expand, name, open));
    return li;
  }

  private async toggle(li: HTMLElement, d: DirectoryEntry, level: number): Promise<void> {
    if (!d.hasChildren) return;
    const sub = li.querySelector(":scope > ul");
    const expandBtn = li.querySelector<HTMLElement>(":scope > .folder-line > .folder-expand")!;
    if (li.getAttribute("aria-expanded") === "true") {
      sub?.remove();
      li.setAttribute("aria-expanded", "false");
      expandBtn.textContent = "▸";
      expandBtn.setAttribute("aria-label", `Expand ${d.name}`);
      return;
    }
    try {
      const listing = parseListing(await this.api.directories(d.path, this.hidden.checked));
      const ul = h("ul", { role: "group" });
      this.fill(ul, listing.directories, level + 1);
      li.appendChild(ul);
      li.setAttribute("aria-expanded", "true");
      expandBtn.textContent = "▾";
      expandBtn.setAttribute("aria-label", `Collapse ${d.name}`);
    } catch (e) {
      this.error.textContent = `${d.path} cannot be listed: ${(e as Error).message}`;
    }
  }

  private select(path: string | null): void {
    this.selected = path;
    for (const li of this.list.querySelectorAll<HTMLElement>(".folder-row")) li.setAttribute("aria-selected", String(li.dataset.path === path));
    this.selectedEl.textContent = `Selected: ${path ?? (this.current || "(none)")}`;
  }

  private showNewFolder(): void {
    this.newRow.hidden = false;
    this.newName.value = "";
    this.newName.focus();
  }

  private async createFolder(): Promise<void> {
    const parent = this.selected ?? this.current;
    try {
      const r = await this.api.createDirectory(parent, this.newName.value);
      this.newRow.hidden = true;
      if (parent !== this.current) await this.load(parent);
      else await this.load(this.current);
      this.select(r.path);
      this.list.querySelector<HTMLElement>(`.folder-row[data-path="${CSS.escape(r.path)}"] .folder-name`)?.focus();
    } catch (e) {
      this.error.textContent = `The folder was not created: ${(e as Error).message}`;
    }
  }

  private rows(): HTMLButtonElement[] {
    return [...this.list.querySelectorAll<HTMLButtonElement>(".folder-name")];
  }

  private focusFirst(): void {
    if (this.el.contains(document.activeElement) && document.activeElement !== document.body && !this.list.contains(document.activeElement)) return;
    (this.rows()[0] ?? this.el.querySelector<HTMLElement>('[data-role="choose"]'))?.focus();
  }

  private onKey(e: KeyboardEvent): void {
    e.stopPropagation(); // the app's shortcuts must not see keys typed here
    if (e.key === "Escape") {
      e.preventDefault();
      this.finish(null);
      return;
    }
    const target = e.target as HTMLElement;
    if (!target.classList.contains("folder-name")) return;
    const rows = this.rows();
    const i = rows.indexOf(target as HTMLButtonElement);
    const li = target.closest<HTMLElement>(".folder-row")!;
    const entry = { name: target.textContent ?? "", path: li.dataset.path ?? "", hasChildren: li.hasAttribute("aria-expanded") };
    const level = Number(li.getAttribute("aria-level")) || 1;
    if (e.key === "ArrowDown" && i < rows.length - 1) rows[i + 1].focus();
    else if (e.key === "ArrowUp" && i > 0) rows[i - 1].focus();
    else if (e.key === "ArrowRight") {
      if (li.getAttribute("aria-expanded") === "false") void this.toggle(li, entry, level);
      else if (li.getAttribute("aria-expanded") === "true") void this.load(entry.path);
    } else if (e.key === "ArrowLeft") {
      if (li.getAttribute("aria-expanded") === "true") void this.toggle(li, entry, level);
      else li.parentElement?.closest<HTMLElement>(".folder-row")?.querySelector<HTMLElement>(".folder-name")?.focus();
    } else return;
    e.preventDefault();
  }
}
