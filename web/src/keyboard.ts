// Global keyboard shortcuts (features-spec §1.21). keyToAction is pure (unit-tested); the
// listener ignores keys typed into inputs and keys with Ctrl/Cmd/Alt, except Esc.
export type Action =
  | "next"
  | "prev"
  | "showDrawer"
  | "toggleDrawer"
  | "hideDrawer"
  | "escape"
  | "fullscreen"
  | "grid"
  | "slideshow"
  | "help"
  | "map"
  | "search"
  | "first"
  | "last"
  | "bookmark"
  | "back";

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  inEditable?: boolean;
}

export const SHORTCUTS: ReadonlyArray<[string, string]> = [
  ["→ / ← , PageDown / PageUp", "Next / previous image (grid: next / previous row)"],
  ["Mouse wheel, swipe", "Next / previous image"],
  ["Home / End", "First / last image"],
  ["Space", "Play / pause the slideshow"],
  ["g", "Toggle grid view"],
  ["↑ / i", "Show / toggle the metadata drawer"],
  ["↓", "Hide the metadata drawer"],
  ["f", "Toggle fullscreen"],
  ["m", "Toggle the semantic map"],
  ["b", "Bookmark / un-bookmark the current image"],
  ["Backspace", "Back to the image shown before the last jump"],
  ["/", "Open search"],
  ["?", "Show this help"],
  ["Esc", "Close the open panel"],
];

export function keyToAction(e: KeyLike): Action | null {
  if (e.key === "Escape") return "escape";
  if (e.inEditable || e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case "ArrowRight":
    case "PageDown":
      return "next";
    case "ArrowLeft":
    case "PageUp":
      return "prev";
    case "Home":
      return "first";
    case "End":
      return "last";
    case "ArrowUp":
      return "showDrawer";
    case "i":
    case "I":
      return "toggleDrawer";
    case "ArrowDown":
      return "hideDrawer";
    case "f":
    case "F":
      return "fullscreen";
    case "g":
    case "G":
      return "grid";
    case " ":
    case "Spacebar":
      return "slideshow";
    case "?":
      return "help";
    case "m":
    case "M":
      return "map";
    case "/":
      return "search";
    case "b":
    case "B":
      return "bookmark";
    case "Backspace":
      return "back";
    default:
      return null;
  }
}

export function isEditable(t: EventTarget | null): boolean {
  if (!t || !(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  const tag = t.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (t as HTMLInputElement).type;
    return !["button", "checkbox", "radio", "range", "submit", "reset"].includes(type);
  }
  return false;
}

export function installKeyboard(handler: (a: Action, e: KeyboardEvent) => boolean): () => void {
  const listener = (e: KeyboardEvent) => {
    const action = keyToAction({
      key: e.key,
      ctrlKey: e.ctrlKey,
      metaKey: e.metaKey,
      altKey: e.altKey,
      inEditable: isEditable(e.target),
    });
    if (action && handler(action, e)) e.preventDefault();
  };
  document.addEventListener("keydown", listener);
  return () => document.removeEventListener("keydown", listener);
}
