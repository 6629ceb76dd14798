import { describe, expect, it } from "vitest";
import { addPath, toAlbumJson, validateAlbumForm, type AlbumFormValues } from "./album-form";

const good: AlbumFormValues = { key: "family", name: "Family", description: "", paths: ["/photos/family/"], encoder: "openai-clip:ViT-B/32", minDimension: 256, minKb: 8 };

describe("album form", () => {
  it("accepts a complete album and builds add_album's JSON with the derived index path", () => {
    expect(validateAlbumForm(good, true)).toEqual({});
    expect(toAlbumJson(good, true)).toEqual({
      key: "family", name: "Family", description: "", image_paths: ["/photos/family/"], encoder_spec: "openai-clip:ViT-B/32",
      min_image_dimension: 256, min_image_bytes: 8192, index: "/photos/family/photomap_index/embeddings.npz",
    });
    expect(toAlbumJson(good, false).index).toBeUndefined();
  });
  it("names each missing or bad field", () => {
    const e = validateAlbumForm({ ...good, key: "", name: "", paths: [], minDimension: 0, minKb: -1 }, true);
    expect(Object.keys(e).sort()).toEqual(["key", "minDimension", "minKb", "name", "paths"]);
    expect(validateAlbumForm({ ...good, key: "a b" }, true).key).toContain("letters");
    expect(validateAlbumForm({ ...good, key: "" }, false)).toEqual({});
  });

  it("adds a picked folder as a new line, once", () => {
    expect(addPath("", "/a")).toBe("/a");
    expect(addPath("/a\n\n", "/b")).toBe("/a\n/b");
    expect(addPath("/a\n/b", "/a")).toBe("/a\n/b");
  });
});
