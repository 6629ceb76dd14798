// Keeps Tab / Shift-Tab inside an open modal dialog (WAI-ARIA dialog pattern).
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function trapFocus(container: HTMLElement): void {
  container.addEventListener("keydown", (e) => {
    if (e.key !== "Tab") return;
    const items = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  });
}

// Call when hiding a panel: a hidden element must not keep the keyboard focus, or the global
// shortcuts would keep seeing key presses as typing into it.
export function releaseFocus(container: HTMLElement, restoreTo?: Element | null): void {
  const active = document.activeElement;
  if (active instanceof HTMLElement && container.contains(active)) {
    if (restoreTo instanceof HTMLElement && restoreTo.isConnected && !container.contains(restoreTo)) restoreTo.focus();
    else active.blur();
  }
}
