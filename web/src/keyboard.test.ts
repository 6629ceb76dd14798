import { describe, expect, it } from "vitest";
import { keyToAction, SHORTCUTS } from "./keyboard";

describe("keyToAction", () => {
  it("maps the shortcut table", () => {
    expect(keyToAction({ key: "ArrowRight" })).toBe("next");
    expect(keyToAction({ key: "PageDown" })).toBe("next");
    expect(keyToAction({ key: "ArrowLeft" })).toBe("prev");
    expect(keyToAction({ key: "PageUp" })).toBe("prev");
    expect(keyToAction({ key: " " })).toBe("slideshow");
    expect(keyToAction({ key: "g" })).toBe("grid");
    expect(keyToAction({ key: "G" })).toBe("grid");
    expect(keyToAction({ key: "i" })).toBe("toggleDrawer");
    expect(keyToAction({ key: "ArrowUp" })).toBe("showDrawer");
    expect(keyToAction({ key: "b" })).toBe("bookmark");
    expect(keyToAction({ key: "B" })).toBe("bookmark");
    expect(keyToAction({ key: "Backspace" })).toBe("back");
    expect(keyToAction({ key: "Backspace", inEditable: true })).toBeNull();
    expect(keyToAction({ key: "ArrowDown" })).toBe("hideDrawer");
    expect(keyToAction({ key: "f" })).toBe("fullscreen");
    expect(keyToAction({ key: "?" })).toBe("help");
    expect(keyToAction({ key: "/" })).toBe("search");
    expect(keyToAction({ key: "Home" })).toBe("first");
    expect(keyToAction({ key: "End" })).toBe("last");
    expect(keyToAction({ key: "x" })).toBeNull();
  });

  it("ignores keys typed into inputs, except Escape", () => {
    expect(keyToAction({ key: "g", inEditable: true })).toBeNull();
    expect(keyToAction({ key: " ", inEditable: true })).toBeNull();
    expect(keyToAction({ key: "ArrowRight", inEditable: true })).toBeNull();
    expect(keyToAction({ key: "Escape", inEditable: true })).toBe("escape");
  });

  it("leaves browser shortcuts alone", () => {
    expect(keyToAction({ key: "f", ctrlKey: true })).toBeNull();
    expect(keyToAction({ key: "ArrowLeft", altKey: true })).toBeNull();
    expect(keyToAction({ key: "g", metaKey: true })).toBeNull();
  });

  it("documents every action it handles in the help table", () => {
    const text = SHORTCUTS.map(([k, v]) => `${k} ${v}`).join("\n");
    for (const word of ["Space", "g", "Esc", "?", "fullscreen", "grid", "slideshow"]) expect(text).toContain(word);
  });
});
