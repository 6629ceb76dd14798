import { describe, expect, it } from "vitest";
import { breadcrumbs, parentPath, parseListing } from "./folder-picker";

describe("folder picker", () => {
  it("builds breadcrumbs from the root to the current folder", () => {
    expect(breadcrumbs("/home/me/Photos")).toEqual([
      { name: "/", path: "/" },
      { name: "home", path: "/home" },
      { name: "me", path: "/home/me" },
      { name: "Photos", path: "/home/me/Photos" },
    ]);
    expect(breadcrumbs("/")).toEqual([{ name: "/", path: "/" }]);
    expect(breadcrumbs("/a//b/")).toEqual([{ name: "/", path: "/" }, { name: "a", path: "/a" }, { name: "b", path: "/a/b" }]);
    expect(breadcrumbs("C:\\Users\\me")).toEqual([
      { name: "C:", path: "C:\\" },
      { name: "Users", path: "C:\\Users" },
      { name: "me", path: "C:\\Users\\me" },
    ]);
    expect(breadcrumbs("")).toEqual([]);
  });

  it("finds the parent folder, and none above the root", () => {
    expect(parentPath("/home/me")).toBe("/home");
    expect(parentPath("/home")).toBe("/");
    expect(parentPath("/")).toBeNull();
  });

  it("parses a directories reply defensively, keeping names as text", () => {
    const l = parseListing({
      currentPath: "/p",
      isRoot: false,
      directories: [
        { name: "<b>x</b>", path: "/p/<b>x</b>", hasChildren: true },
        { name: "y", path: "/p/y" },
        { name: 3, path: "/p/z" },
        null,
        "junk",
      ],
    });
    expect(l).toEqual({
      currentPath: "/p",
      isRoot: false,
      directories: [
        { name: "<b>x</b>", path: "/p/<b>x</b>", hasChildren: true },
        { name: "y", path: "/p/y", hasChildren: false },
      ],
    });
    expect(parseListing(null)).toEqual({ currentPath: "", isRoot: false, directories: [] });
    expect(parseListing({ directories: "no" }).directories).toEqual([]);
  });
});
