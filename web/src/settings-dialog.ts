// Settings: slideshow interval and mode, wrap-around, what deleting does (trash or unlink), and
// the way into the Album Manager. Values persist in localStorage.
import type { SlideshowMode } from "./config";
import { releaseFocus, trapFocus } from "./focus-trap";
import { h } from "./dom";
import type { Settings } from "./store";

const STORAGE_KEY = "photomap.settings";

export function loadSettings(defaults: Settings): Settings {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}") as Partial<Settings>;
    return {
      delay: typeof raw.delay === "number" && raw.delay >= 1 && raw.delay <= 3600 ? raw.delay : defaults.delay,
      mode: raw.mode === "random" || raw.mode === "chronological" ? raw.mode : defaults.mode,
      wrap: typeof raw.wrap === "boolean" ? raw.wrap : defaults.wrap,
      trash: typeof raw.trash === "boolean" ? raw.trash : (defaults.trash ?? true),
      confirmDelete: typeof raw.confirmDelete === "boolean" ? raw.confirmDelete : (defaults.confirmDelete ?? true),
    };
  } catch {
    return defaults;
  }
}

export function saveSettings(s: Settings): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
  } catch {
    // private mode: settings last for this page only
  }
}

export class SettingsDialog {
  readonly el: HTMLElement;

  constructor(settings: Settings, onChange: () => void, onManageAlbums: () => void) {
    const delay = h("input", { id: "set-delay", type: "number", min: 1, max: 3600, step: 1, value: settings.delay, class: "num" });
    const mode = h("select", { id: "set-mode" }, h("option", { value: "chronological" }, "Sequential"), h("option", { value: "random" }, "Shuffled"));
    mode.value = settings.mode;
    const wrap = h("input", { id: "set-wrap", type: "checkbox" });
    wrap.checked = settings.wrap;
    const trash = h("select", { id: "set-trash" }, h("option", { value: "trash" }, "Move to Trash"), h("option", { value: "delete" }, "Just Delete"));
    trash.value = settings.trash === false ? "delete" : "trash";
    const confirmDel = h("input", { id: "set-confirm-delete", type: "checkbox" });
    confirmDel.checked = settings.confirmDelete !== false;
    const apply = () => {
      const d = Math.floor(Number(delay.value));
      if (d >= 1 && d <= 3600) settings.delay = d;
      settings.mode = mode.value as SlideshowMode;
      settings.wrap = wrap.checked;
      settings.trash = trash.value !== "delete";
      settings.confirmDelete = confirmDel.checked;
      saveSettings(settings);
      onChange();
    };
    for (const c of [delay, mode, wrap, trash, confirmDel]) c.addEventListener("change", apply);
    this.el = h(
      "div",
      { class: "modal-backdrop", hidden: true, onclick: (e: Event) => e.target === this.el && this.close() },
      h(
        "section",
        { class: "modal settings", role: "dialog", "aria-modal": "true", "aria-labelledby": "settings-title" },
        h("header", { class: "modal-header" }, h("h2", { id: "settings-title" }, "Settings"), h("button", { class: "icon-btn", type: "button", "aria-label": "Close settings", onclick: () => this.close() }, "✖")),
        h("div", { class: "field" }, h("label", { for: "set-delay" }, "Slideshow interval (seconds)"), delay),
        h("div", { class: "field" }, h("label", { for: "set-mode" }, "Slideshow mode"), mode),
        h("div", { class: "field inline" }, wrap, h("label", { for: "set-wrap" }, "Wrap around at the ends")),
        h("div", { class: "field" }, h("label", { for: "set-trash" }, "When deleting"), trash),
        h("div", { class: "field inline" }, confirmDel, h("label", { for: "set-confirm-delete" }, "Confirm before deleting images")),
        h("button", { class: "btn btn-blue", type: "button", onclick: () => { this.close(); onManageAlbums(); } }, "Manage Albums"),
      ),
    );
    trapFocus(this.el);
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  open(): void {
    this.el.hidden = false;
    this.el.querySelector<HTMLElement>("input")?.focus();
  }

  close(): void {
    releaseFocus(this.el);
    this.el.hidden = true;
  }
}
