// Client for photomap's PhotoMapAI-compatible JSON API (docs/api.md, backend-spec §1). Every URL
// is RELATIVE to the page (no leading "/"), so the app works behind a reverse-proxy prefix; path
// segments are percent-encoded. Errors become ApiError with the server's "detail" text.
export interface Album {
  key: string;
  name: string;
  description: string;
  source_type?: string;
  index: string;
  umap_eps?: number | null;
  image_paths: string[];
  encoder_spec?: string;
  min_search_score?: number | null;
  max_search_results?: number;
  use_query_optimization?: boolean;
  min_image_dimension?: number;
  min_image_bytes?: number;
}

export interface IndexProgress {
  album_key: string;
  status: string;
  current_step: string;
  images_processed: number;
  total_images: number;
  progress_percentage: number;
  elapsed_time: number;
  estimated_time_remaining: number | null;
  error_message: string | null;
  warning_message: string | null;
}

export interface IndexMetadata {
  filename_count: number;
  embeddings_path: string;
  last_modified: number;
  image_count: number;
  video_count: number;
}

export interface SlideSummary {
  filename: string;
  filepath: string;
  description: string; // server HTML: never rendered
  image_url: string;
  metadata_url: string;
  index: number;
  total: number;
  reference_images: string[];
  media_type: "image" | "video";
  video_url: string;
  video_info: Record<string, unknown> | null;
}

export interface SearchRequest {
  positive_query: string;
  negative_query: string;
  image_data: string | null;
  image_weight: number;
  positive_weight: number;
  negative_weight: number;
  min_search_score: number | null;
  max_search_results: number;
  use_query_optimization: boolean | null;
}

export interface SearchResult {
  index: number;
  score: number;
}

// One entry of a browsing list that is not the album: a search hit (with its score), a cluster
// member or a bookmark (no score).
export interface ListItem {
  index: number;
  score?: number;
}

export interface UmapPointReply {
  x: number;
  y: number;
  index: number;
  cluster: number;
  media?: string;
}

export interface UmapEps {
  success: boolean;
  eps: number | null;
  auto?: boolean;
}

export interface DeleteManyReply {
  success: boolean;
  deleted_count: number;
  deleted_indices: number[];
  deleted_files: string[];
  errors?: string[];
  error_count?: number;
}

export interface MoveCopyReply {
  success: boolean;
  moved_count?: number;
  copied_count?: number;
  same_folder_count?: number;
  errors?: string[];
  error_count?: number;
}

export interface DirectoryEntry {
  name: string;
  path: string;
  hasChildren: boolean;
}

export interface DirectoryListing {
  currentPath: string;
  directories: DirectoryEntry[];
  isRoot: boolean;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly url: string,
  ) {
    super(detail);
    this.name = "ApiError";
  }
}

export const seg = (s: string | number): string => encodeURIComponent(String(s));

// Encodes a relative file path keeping its "/" separators (quote(safe="/")).
export const pathSeg = (p: string): string => p.split("/").map(encodeURIComponent).join("/");

// Relative URL builders: pure, unit-tested.
export const urls = {
  availableAlbums: () => "available_albums/",
  album: (k: string) => `album/${seg(k)}/`,
  addAlbum: () => "add_album/",
  updateAlbum: () => "update_album/",
  deleteAlbum: (k: string) => `delete_album/${seg(k)}`,
  defaultEncoder: () => "default_encoder/",
  configStatus: () => "config_status/",
  updateIndex: () => "update_index_async/",
  indexProgress: (k: string) => `index_progress/${seg(k)}`,
  cancelIndex: (k: string) => `cancel_index/${seg(k)}`,
  indexExists: (k: string) => `index_exists/${seg(k)}`,
  indexMetadata: (k: string) => `index_metadata/${seg(k)}`,
  search: (k: string) => `search_with_text_and_image/${seg(k)}`,
  retrieveImage: (k: string, i: number) => `retrieve_image/${seg(k)}/${seg(i)}`,
  thumbnail: (k: string, i: number, size: number, color?: string) =>
    `thumbnails/${seg(k)}/${seg(i)}?size=${seg(Math.round(size))}${color ? `&color=${seg(color)}` : ""}`,
  metadata: (k: string, i: number) => `get_metadata/${seg(k)}/${seg(i)}`,
  image: (k: string, relPath: string) => `images/${seg(k)}/${pathSeg(relPath)}`,
  umapData: (k: string, eps?: number | null) => `umap_data/${seg(k)}${epsQuery(eps, "?")}`,
  clusterLabels: (k: string, eps?: number | null) =>
    `cluster_labels/${seg(k)}?cluster_min_samples=10&top_k=3${epsQuery(eps, "&")}`,
  getUmapEps: () => "get_umap_eps/",
  setUmapEps: () => "set_umap_eps/",
  imageInfo: (k: string, i: number) => `image_info/${seg(k)}/${seg(i)}`,
  deleteImage: (k: string, i: number, trash: boolean) => `delete_image/${seg(k)}/${seg(i)}?move_to_trash=${trash}`,
  deleteImages: (k: string) => `delete_images/${seg(k)}`,
  moveImages: (k: string) => `move_images/${seg(k)}`,
  copyImages: (k: string) => `copy_images/${seg(k)}`,
  downloadZip: (k: string) => `download_images_zip/${seg(k)}`,
  directories: (path: string, showHidden: boolean) => `filetree/directories?path=${seg(path)}&show_hidden=${showHidden}`,
  home: () => "filetree/home",
  createDirectory: () => "filetree/create_directory",
};

// "cluster_eps=<eps>" after `sep`, or "" for the server's own (stored or automatic) value.
function epsQuery(eps: number | null | undefined, sep: string): string {
  return eps !== null && eps !== undefined && Number.isFinite(eps) ? `${sep}cluster_eps=${seg(eps)}` : "";
}

// Server-supplied URLs (image_url, metadata_url) must stay relative and same-origin.
export function safeRelativeUrl(u: string): string | null {
  if (typeof u !== "string" || u === "") return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith("/") || u.startsWith("\\")) return null;
  return u;
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export class Api {
  constructor(private readonly fetchFn: Fetch = (i, init) => fetch(i, init)) {}

  private async request<T>(url: string, init?: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchFn(url, init);
    } catch (e) {
      if (e instanceof DOMException && e.name === "AbortError") throw e;
      throw new ApiError(0, `Cannot reach the photomap server (${(e as Error).message})`, url);
    }
    const text = await res.text();
    let body: unknown = null;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (!res.ok) throw new ApiError(res.status, errorDetail(body, res.status), url);
    return body as T;
  }

  private json<T>(method: string, url: string, payload: unknown, signal?: AbortSignal): Promise<T> {
    return this.request<T>(url, {
      method,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
      signal,
    });
  }

  albums = () => this.request<Album[]>(urls.availableAlbums());
  album = (k: string) => this.request<Album>(urls.album(k));
  addAlbum = (a: Partial<Album>) => this.json<{ success: boolean; message: string }>("POST", urls.addAlbum(), a);
  updateAlbum = (patch: Partial<Album> & { key: string }) =>
    this.json<{ success: boolean; message: string }>("POST", urls.updateAlbum(), patch);
  deleteAlbum = (k: string) => this.request<{ success: boolean }>(urls.deleteAlbum(k), { method: "DELETE" });
  defaultEncoder = () => this.request<{ encoder_spec: string }>(urls.defaultEncoder());
  configStatus = () => this.request<{ ok: boolean; path: string; error: string | null }>(urls.configStatus());
  startIndex = (k: string) => this.json<{ success: boolean; message: string }>("POST", urls.updateIndex(), { album_key: k });
  indexProgress = (k: string) => this.request<IndexProgress>(urls.indexProgress(k));
  cancelIndex = (k: string) => this.request<{ success: boolean }>(urls.cancelIndex(k), { method: "DELETE" });
  indexMetadata = (k: string) => this.request<IndexMetadata>(urls.indexMetadata(k));
  retrieveImage = (k: string, i: number) => this.request<SlideSummary>(urls.retrieveImage(k, i));
  metadata = (k: string, i: number) => this.request<Record<string, unknown>>(urls.metadata(k, i));
  umapData = (k: string, eps?: number | null) => this.request<UmapPointReply[]>(urls.umapData(k, eps));
  clusterLabels = (k: string, eps?: number | null) =>
    this.request<{ labels?: Record<string, unknown>; message?: unknown }>(urls.clusterLabels(k, eps));
  getUmapEps = (k: string) => this.json<UmapEps>("POST", urls.getUmapEps(), { album: k });
  setUmapEps = (k: string, eps: number | null) => this.json<UmapEps>("POST", urls.setUmapEps(), { album: k, eps });
  imageInfo = (k: string, i: number) =>
    this.request<{ image_path: string; album_key: string; index: number; last_modified: number }>(urls.imageInfo(k, i));
  deleteImage = (k: string, i: number, trash: boolean) =>
    this.request<{ success: boolean; message: string }>(urls.deleteImage(k, i, trash), { method: "DELETE" });
  deleteImages = (k: string, indices: number[], trash: boolean) =>
    this.json<DeleteManyReply>("POST", urls.deleteImages(k), { indices, move_to_trash: trash });
  moveImages = (k: string, indices: number[], target: string) =>
    this.json<MoveCopyReply>("POST", urls.moveImages(k), { indices, target_directory: target });
  copyImages = (k: string, indices: number[], target: string) =>
    this.json<MoveCopyReply>("POST", urls.copyImages(k), { indices, target_directory: target });
  directories = (path: string, showHidden: boolean) => this.request<DirectoryListing>(urls.directories(path, showHidden));
  home = () => this.request<{ homePath: string }>(urls.home());
  createDirectory = (parent: string, name: string) =>
    this.json<{ success: boolean; path: string; name: string }>("POST", urls.createDirectory(), { parent_path: parent, directory_name: name });
  // The zip of `indices` as a Blob (not JSON); errors (413 over 2 GB, 404, …) become ApiError.
  downloadZip = async (k: string, indices: number[]): Promise<Blob> => {
    const url = urls.downloadZip(k);
    let res: Response;
    try {
      res = await this.fetchFn(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ indices }) });
    } catch (e) {
      throw new ApiError(0, `Cannot reach the photomap server (${(e as Error).message})`, url);
    }
    if (!res.ok) {
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      throw new ApiError(res.status, errorDetail(body, res.status), url);
    }
    return res.blob();
  };
  search = (k: string, req: SearchRequest, signal?: AbortSignal) =>
    this.json<{ results: SearchResult[] }>("POST", urls.search(k), req, signal);
}

export function errorDetail(body: unknown, status: number): string {
  if (body && typeof body === "object" && "detail" in body) {
    const d = body.detail;
    if (typeof d === "string") return d;
    if (Array.isArray(d)) {
      return d
        .map((e) => {
          const o = e as { loc?: unknown[]; msg?: string };
          const loc = Array.isArray(o.loc) ? o.loc.filter((x) => x !== "body").join(".") : "";
          return loc ? `${loc}: ${o.msg ?? "invalid"}` : (o.msg ?? "invalid");
        })
        .join("; ");
    }
  }
  // The filetree's listing failures answer {"error": …} (backend-spec §1.8).
  if (body && typeof body === "object" && typeof (body as { error?: unknown }).error === "string") return (body as { error: string }).error;
  if (typeof body === "string" && body.length > 0 && body.length < 300) return body;
  return `HTTP ${status}`;
}
