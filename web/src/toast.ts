// Non-blocking notices stacked top-right (info / error), auto-dismissed, with a close button.
import { h } from "./dom";

let host: HTMLElement | null = null;

export function toast(message: string, level: "info" | "error" = "info", ms = 5000): void {
  if (!host) {
    host = h("div", { class: "toasts", role: "status", "aria-live": "polite" });
    document.body.appendChild(host);
  }
  const close = h("button", { class: "toast-close", "aria-label": "Dismiss" }, "×");
  const el = h("div", { class: `toast toast-${level}` }, h("span", {}, message), close);
  const remove = () => el.remove();
  close.addEventListener("click", remove);
  host.appendChild(el);
  window.setTimeout(remove, level === "error" ? ms * 2 : ms);
}
