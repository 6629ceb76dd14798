import { describe, expect, it } from "vitest";
import { Api, ApiError, errorDetail, pathSeg, safeRelativeUrl, urls } from "./api";

// The request body the Api sent: always a JSON string here (anything else shows as a marker).
const bodyText = (init?: RequestInit): string => (typeof init?.body === "string" ? init.body : `<${typeof init?.body} body>`);

describe("urls", () => {
  it("are all relative (no leading slash, no scheme) so the app works under a path prefix", () => {
    const all = [
      urls.availableAlbums(), urls.album("a"), urls.addAlbum(), urls.updateAlbum(), urls.deleteAlbum("a"),
      urls.defaultEncoder(), urls.configStatus(), urls.updateIndex(), urls.indexProgress("a"), urls.cancelIndex("a"),
      urls.indexExists("a"), urls.indexMetadata("a"), urls.search("a"), urls.retrieveImage("a", 1),
      urls.thumbnail("a", 1, 256), urls.metadata("a", 1), urls.image("a", "x/y.jpg"), urls.umapData("a"),
      urls.clusterLabels("a", 0.5), urls.getUmapEps(), urls.setUmapEps(), urls.imageInfo("a", 1),
      urls.deleteImage("a", 1, true), urls.deleteImages("a"), urls.moveImages("a"), urls.copyImages("a"),
      urls.downloadZip("a"), urls.directories("/x", false), urls.home(), urls.createDirectory(),
    ];
    for (const u of all) {
      expect(u.startsWith("/"), u).toBe(false);
      expect(/^[a-z]+:/i.test(u), u).toBe(false);
    }
  });

  it("match PhotoMapAI's route shapes", () => {
    expect(urls.availableAlbums()).toBe("available_albums/");
    expect(urls.album("fam")).toBe("album/fam/");
    expect(urls.indexProgress("fam")).toBe("index_progress/fam");
    expect(urls.cancelIndex("fam")).toBe("cancel_index/fam");
    expect(urls.retrieveImage("fam", 12)).toBe("retrieve_image/fam/12");
    expect(urls.thumbnail("fam", 3, 255.6)).toBe("thumbnails/fam/3?size=256");
    expect(urls.thumbnail("fam", 3, 96, "#e6194b")).toBe("thumbnails/fam/3?size=96&color=%23e6194b");
    expect(urls.umapData("fam")).toBe("umap_data/fam");
    expect(urls.umapData("fam", 0.25)).toBe("umap_data/fam?cluster_eps=0.25");
    expect(urls.umapData("fam", null)).toBe("umap_data/fam");
    expect(urls.clusterLabels("fam", 0.25)).toBe("cluster_labels/fam?cluster_min_samples=10&top_k=3&cluster_eps=0.25");
    expect(urls.clusterLabels("fam")).toBe("cluster_labels/fam?cluster_min_samples=10&top_k=3");
    expect(urls.deleteImage("fam", 4, false)).toBe("delete_image/fam/4?move_to_trash=false");
    expect(urls.imageInfo("fam", 4)).toBe("image_info/fam/4");
  });

  it("percent-encode keys and keep '/' in file paths", () => {
    expect(urls.album("a b/c")).toBe("album/a%20b%2Fc/");
    expect(urls.deleteAlbum("../x")).toBe("delete_album/..%2Fx");
    expect(urls.image("k", "sub dir/é#1.jpg")).toBe("images/k/sub%20dir/%C3%A9%231.jpg");
    expect(pathSeg("a/b?c")).toBe("a/b%3Fc");
  });
});

describe("safeRelativeUrl", () => {
  it("accepts the server's relative URLs and refuses absolute or scheme URLs", () => {
    expect(safeRelativeUrl("images/k/a.jpg")).toBe("images/k/a.jpg");
    expect(safeRelativeUrl("/images/k/a.jpg")).toBeNull();
    expect(safeRelativeUrl("javascript:alert(1)")).toBeNull();
    expect(safeRelativeUrl("https://evil.example/a.jpg")).toBeNull();
    expect(safeRelativeUrl("//evil.example/a.jpg")).toBeNull();
    expect(safeRelativeUrl("")).toBeNull();
  });
});

describe("errorDetail", () => {
  it("reads string details, pydantic lists and falls back to the status", () => {
    expect(errorDetail({ detail: "Album 'x' not found" }, 404)).toBe("Album 'x' not found");
    expect(errorDetail({ detail: [{ loc: ["body", "index"], msg: "Field required" }, { msg: "bad" }] }, 422)).toBe("index: Field required; bad");
    expect(errorDetail(null, 502)).toBe("HTTP 502");
    expect(errorDetail("plain text", 500)).toBe("plain text");
  });
});

describe("Api", () => {
  it("sends JSON bodies to relative URLs and turns error replies into ApiError", async () => {
    const calls: Array<[string, RequestInit | undefined]> = [];
    const api = new Api(async (url, init) => {
      calls.push([url, init]);
      if (url === "cancel_index/fam") return new Response(JSON.stringify({ detail: "No active operation for album 'fam'" }), { status: 404 });
      return new Response(JSON.stringify({ success: true }), { status: 202 });
    });
    await api.startIndex("fam");
    expect(calls[0][0]).toBe("update_index_async/");
    expect(calls[0][1]?.method).toBe("POST");
    expect(JSON.parse(bodyText(calls[0][1]))).toEqual({ album_key: "fam" });
    const err: unknown = await api.cancelIndex("fam").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, detail: "No active operation for album 'fam'" });
    expect(calls[1][1]?.method).toBe("DELETE");
  });

  it("reports an unreachable server as status 0 with a readable message", async () => {
    const api = new Api(async () => {
      throw new TypeError("Failed to fetch");
    });
    const err: unknown = await api.albums().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, detail: expect.stringContaining("Cannot reach the photomap server") as unknown });
  });
});

describe("file tree and zip download", () => {
  it("build the filetree and download_images_zip URLs", () => {
    expect(urls.directories("/home/me/My Photos", true)).toBe("filetree/directories?path=%2Fhome%2Fme%2FMy%20Photos&show_hidden=true");
    expect(urls.directories("", false)).toBe("filetree/directories?path=&show_hidden=false");
    expect(urls.home()).toBe("filetree/home");
    expect(urls.createDirectory()).toBe("filetree/create_directory");
    expect(urls.downloadZip("my album")).toBe("download_images_zip/my%20album");
  });

  it("create_directory posts parent_path and directory_name and surfaces the server's detail", async () => {
    const seen: string[] = [];
    const api = new Api(async (url, init) => {
      seen.push(`${init?.method} ${url} ${bodyText(init)}`);
      return new Response(JSON.stringify({ detail: "Directory already exists" }), { status: 409 });
    });
    await expect(api.createDirectory("/p", "new")).rejects.toMatchObject({ status: 409, detail: "Directory already exists" });
    expect(seen).toEqual(['POST filetree/create_directory {"parent_path":"/p","directory_name":"new"}']);
  });

  it("a listing failure's {error} text becomes the detail", () => {
    expect(errorDetail({ error: "Permission denied" }, 500)).toBe("Permission denied");
  });

  it("downloadZip returns the zip as a Blob, and a 413's detail as ApiError", async () => {
    let body = "";
    const ok = new Api(async (_url, init) => {
      body = bodyText(init);
      return new Response(new Uint8Array([0x50, 0x4b, 3, 4]), { status: 200, headers: { "Content-Type": "application/zip" } });
    });
    const blob = await ok.downloadZip("fam", [0, 2]);
    expect(body).toBe('{"indices":[0,2]}');
    expect(new Uint8Array(await blob.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
    const big = new Api(async () => new Response(JSON.stringify({ detail: "That selection is 2.5 GB, over the 2.0 GB download limit." }), { status: 413 }));
    await expect(big.downloadZip("fam", [1])).rejects.toMatchObject({ status: 413, detail: "That selection is 2.5 GB, over the 2.0 GB download limit." });
  });
});
