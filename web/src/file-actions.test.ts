import { describe, expect, it } from "vitest";
import { Api } from "./api";
import { describeMoveCopy, FileActions } from "./file-actions";

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
});
