// Keyboard-shortcut help overlay ("?"), listing SHORTCUTS from keyboard.ts.
import { releaseFocus, trapFocus } from "./focus-trap";
import { h } from "./dom";
import { SHORTCUTS } from "./keyboard";

export class HelpOverlay {
  readonly el: HTMLElement;

  constructor() {
    const close = h("button", { class: "icon-btn", type: "button", "aria-label": "Close help", onclick: () => this.close() }, "✖");
    this.el = h(
      "div",
      { class: "modal-backdrop", hidden: true, onclick: (e: Event) => e.target === this.el && this.close() },
      h(
        "section",
        { class: "modal help", role: "dialog", "aria-modal": "true", "aria-labelledby": "help-title" },
        h("header", { class: "modal-header" }, h("h2", { id: "help-title" }, "Keyboard shortcuts"), close),
        h("table", { class: "meta-table" }, h("tbody", {}, ...SHORTCUTS.map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, h("kbd", {}, k)), h("td", {}, v))))),
      ),
    );
    trapFocus(this.el);
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  open(): void {
    this.el.hidden = false;
    this.el.querySelector<HTMLElement>("button")?.focus();
  }

  close(): void {
    releaseFocus(this.el);
    this.el.hidden = true;
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }
}
