import { describe, expect, it } from "vitest";
import { Api } from "./api";
import { describeMoveCopy, FileActions, zipName } from "./file-actions";

// The request body the Api sent: always a JSON string here (anything else shows as a marker).
const bodyText = (init?: RequestInit): string => (typeof init?.body === "string" ? init.body : `<${typeof init?.body} body>`);

describe("file actions", () => {
  it("summarise move and copy replies", () => {
    expect(describeMoveCopy({ success: true, moved_count: 1 }, true)).toBe("Moved 1 image.");
    expect(describeMoveCopy({ success: true, copied_count: 2, error_count: 1, errors: ["a.jpg: File already exists in target directory"] }, false))
      .toBe("Copied 2 images, 1 error: a.jpg: File already exists in target directory.");
    expect(describeMoveCopy({ success: true, moved_count: 0, same_folder_count: 3 }, true)).toBe("Moved 0 images, 3 already there.");
  });

  it("asks first, calls delete_image with the trash choice, and reports the deleted index", async () => {
    const calls: string[] = [];
    const api = new Api(async (url, init) => {
      calls.push(`${init?.method ?? "GET"} ${url}`);
      return new Response(JSON.stringify({ success: true, message: "Deleted /x/a.jpg" }), { status: 200 });
    });
    const changed: number[][] = [];
    const questions: string[] = [];
    let answer = false;
    let confirm = true;
    const fa = new FileActions(api, { album: () => "fam", trash: () => false, confirm: () => confirm, changed: async (d) => void changed.push(d) }, (q) => (questions.push(q), answer), () => null, () => undefined);
    expect(await fa.deleteOne(4, "a.jpg")).toBe(false);
    expect(calls).toEqual([]);
    answer = true;
    expect(await fa.deleteOne(4, "a.jpg")).toBe(true);
    expect(calls).toEqual(["DELETE delete_image/fam/4?move_to_trash=false"]);
    expect(changed).toEqual([[4]]);
    expect(questions[0]).toContain("a.jpg (index 4)");
    expect(questions[0]).toContain("cannot be undone");
    // With "Confirm before deleting images" off it deletes without asking.
    answer = false;
    confirm = false;
    expect(await fa.deleteOne(5, "b.jpg")).toBe(true);
    expect(questions.length).toBe(2);
    expect(calls[1]).toBe("DELETE delete_image/fam/5?move_to_trash=false");
  });

  it("moves to the folder the picker returns, and does nothing when it is cancelled", async () => {
    const calls: string[] = [];
    const api = new Api(async (url, init) => {
      calls.push(`${url} ${bodyText(init)}`);
      return new Response(JSON.stringify({ success: true, moved_count: 2 }), { status: 200 });
    });
    let answer: string | null = null;
    const titles: string[] = [];
    const notes: string[] = [];
    const changed: number[][] = [];
    const fa = new FileActions(api, { album: () => "fam", trash: () => true, confirm: () => true, changed: async (d) => void changed.push(d) }, () => true,
      async (t) => (titles.push(t), answer), (m) => void notes.push(m));
    expect(await fa.moveOrCopy([1, 3], true)).toBe(false);
    expect(calls).toEqual([]);
    answer = "/photos/keep";
    expect(await fa.moveOrCopy([1, 3], true)).toBe(true);
    expect(titles[0]).toBe("Move 2 images to…");
    expect(calls).toEqual(['move_images/fam {"indices":[1,3],"target_directory":"/photos/keep"}']);
    expect(notes).toEqual(["Moved 2 images."]);
    expect(changed).toEqual([[]]);
  });

  it("downloads the zip under <album>_bookmarked_images.zip and shows a 413's detail", async () => {
    let status = 200;
    const api = new Api(async () =>
      status === 200
        ? new Response(new Uint8Array([0x50, 0x4b]), { status: 200 })
        : new Response(JSON.stringify({ detail: "That selection is 2.1 GB, over the 2.0 GB download limit. Select fewer files, or copy them to a folder instead." }), { status: 413 }));
    const notes: Array<[string, string | undefined]> = [];
    const saved: Array<[number, string]> = [];
    const fa = new FileActions(api, { album: () => "fam", trash: () => true, confirm: () => true, changed: async () => undefined }, () => true, () => null,
      (m, level) => void notes.push([m, level]), (blob, name) => void saved.push([blob.size, name]));
    expect(await fa.download([])).toBe(false);
    expect(await fa.download([0, 1])).toBe(true);
    expect(saved).toEqual([[2, "fam_bookmarked_images.zip"]]);
    status = 413;
    expect(await fa.download([0, 1])).toBe(false);
    expect(saved.length).toBe(1);
    expect(notes[1]).toEqual(["Download failed: That selection is 2.1 GB, over the 2.0 GB download limit. Select fewer files, or copy them to a folder instead.", "error"]);
    expect(zipName("a b/c")).toBe("a_b_c_bookmarked_images.zip");
  });
});
