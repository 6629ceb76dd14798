// Delete, move, copy and download of album images through the server's file-operation routes
// (delete_image, delete_images, move_images, copy_images, download_images_zip; backend-spec
// §1.4.2). Deletes ask first (a single image unless Settings turn it off); move / copy targets
// come from the folder picker; a download saves the zip through a blob and a temporary anchor.
// Afterwards the host reloads the index size and keeps a sensible position. Moving and deleting
// are refused by a locked server (403), a download over 2 GB by 413; the reply's detail is shown
// as a toast.
import type { Api, MoveCopyReply } from "./api";
import { toast } from "./toast";

export interface FileActionsHost {
  album(): string | null;
  trash(): boolean; // move to the trash (true) or delete for good
  confirm(): boolean; // ask before deleting (Settings → "Confirm before deleting images")
  // The index changed: `deleted` = album indices removed (numbered before the change).
  changed(deleted: number[]): Promise<void>;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

// One line summing up a move/copy reply, errors included.
export function describeMoveCopy(r: MoveCopyReply, move: boolean): string {
  const done = (move ? r.moved_count : r.copied_count) ?? 0;
  const parts = [`${move ? "Moved" : "Copied"} ${plural(done, "image")}`];
  if (r.same_folder_count) parts.push(`${r.same_folder_count} already there`);
  if (r.error_count) parts.push(`${plural(r.error_count, "error")}: ${(r.errors ?? []).slice(0, 3).join("; ")}`);
  return parts.join(", ") + ".";
}

export const zipName = (album: string): string => `${album.replace(/[^A-Za-z0-9_-]/g, "_")}_bookmarked_images.zip`;

// Saves a blob as a file: a temporary object URL on a temporary <a download>, then cleaned up.
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60000);
}

export class FileActions {
  constructor(
    private readonly api: Api,
    private readonly host: FileActionsHost,
    private readonly ask: (q: string) => boolean = (q) => window.confirm(q),
    // Asks for a target folder (the folder picker); null = cancelled.
    private readonly pickFolder: (title: string) => Promise<string | null> | string | null = (q) => window.prompt(q),
    private readonly notify: (msg: string, level?: "info" | "error") => void = toast,
    private readonly save: (blob: Blob, filename: string) => void = saveBlob,
  ) {}

  // Downloads the images as "<album>_bookmarked_images.zip" (download_images_zip).
  async download(indices: number[]): Promise<boolean> {
    const album = this.host.album();
    if (!album || indices.length === 0) return false;
    let blob: Blob;
    try {
      blob = await this.api.downloadZip(album, indices);
    } catch (e) {
      this.notify(`Download failed: ${(e as Error).message}`, "error");
      return false;
    }
    this.save(blob, zipName(album));
    this.notify(`Downloading ${plural(indices.length, "image")} as ${zipName(album)}`);
    return true;
  }

  async deleteOne(index: number, filename: string): Promise<boolean> {
    const album = this.host.album();
    if (!album || index < 0) return false;
    const how = this.host.trash() ? "Move it to the trash" : "Delete it for good; this cannot be undone";
    if (this.host.confirm() && !this.ask(`Delete ${filename} (index ${index}) from the disk?\n${how}.`)) return false;
    try {
      await this.api.deleteImage(album, index, this.host.trash());
    } catch (e) {
      this.notify(`${filename} was not deleted: ${(e as Error).message}`, "error");
      return false;
    }
    this.notify(`Deleted ${filename}`);
    await this.host.changed([index]);
    return true;
  }

  async deleteMany(indices: number[]): Promise<boolean> {
    const album = this.host.album();
    if (!album || indices.length === 0) return false;
    const how = this.host.trash() ? "They go to the trash" : "This cannot be undone";
    if (!this.ask(`Delete ${plural(indices.length, "bookmarked image")} from the disk?\n${how}.`)) return false;
    try {
      const r = await this.api.deleteImages(album, indices, this.host.trash());
      const errs = r.error_count ? ` ${plural(r.error_count, "error")}: ${(r.errors ?? []).slice(0, 3).join("; ")}` : "";
      this.notify(`Deleted ${plural(r.deleted_count, "image")}.${errs}`, r.error_count ? "error" : "info");
      await this.host.changed(r.deleted_indices ?? []);
      return r.deleted_count > 0;
    } catch (e) {
      this.notify(`Nothing was deleted: ${(e as Error).message}`, "error");
      return false;
    }
  }

  async moveOrCopy(indices: number[], move: boolean): Promise<boolean> {
    const album = this.host.album();
    if (!album || indices.length === 0) return false;
    const target = await this.pickFolder(`${move ? "Move" : "Copy"} ${plural(indices.length, "image")} to…`);
    if (!target || !target.trim()) return false;
    try {
      const r = move ? await this.api.moveImages(album, indices, target.trim()) : await this.api.copyImages(album, indices, target.trim());
      this.notify(describeMoveCopy(r, move), r.error_count ? "error" : "info");
      if (move && (r.moved_count ?? 0) > 0) await this.host.changed([]);
      return r.success;
    } catch (e) {
      this.notify(`${move ? "Move" : "Copy"} failed: ${(e as Error).message}`, "error");
      return false;
    }
  }
}
