// Delete, move and copy of album images through the server's file-operation routes
// (delete_image, delete_images, move_images, copy_images; backend-spec §1.4.2), each behind a
// confirm (for a single image unless Settings turn it off). Afterwards the host reloads the index size and keeps a sensible position. Moving
// and deleting are refused by a locked server (403); the reply's detail is shown as a toast.
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

export class FileActions {
  constructor(
    private readonly api: Api,
    private readonly host: FileActionsHost,
    private readonly ask: (q: string) => boolean = (q) => window.confirm(q),
    private readonly askText: (q: string) => string | null = (q) => window.prompt(q),
    private readonly notify: (msg: string, level?: "info" | "error") => void = toast,
  ) {}

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
    const target = this.askText(`${move ? "Move" : "Copy"} ${plural(indices.length, "image")} to which folder on the server? (absolute path)`);
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
