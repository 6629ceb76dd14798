// The add / edit album form: key (add only), display name, description, image folders (one per
// line, typed or added with Browse… through the folder picker), encoder, and the small-image
// filter (min pixels, min KB). Builds the JSON that add_album/ and update_album/ take;
// validation marks missing required fields.
import type { Album } from "./api";
import { h } from "./dom";

export const ENCODERS: ReadonlyArray<[string, string]> = [
  ["open-clip:ViT-L-14/dfn2b_s39b", "OpenCLIP ViT-L-14 / DFN-2B (best quality)"],
  ["siglip:google/siglip2-large-patch16-256", "SigLIP 2 Large"],
  ["openai-clip:ViT-B/32", "OpenAI CLIP ViT-B/32 (fast, legacy)"],
];

export const KEY_PATTERN = /^[A-Za-z0-9_-]+$/;

export interface AlbumFormValues {
  key: string;
  name: string;
  description: string;
  paths: string[];
  encoder: string;
  minDimension: number;
  minKb: number;
}

// Validation shared with unit tests: returns field → message.
export function validateAlbumForm(v: AlbumFormValues, isNew: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  if (isNew && !v.key) errors.key = "An album key is required.";
  else if (isNew && !KEY_PATTERN.test(v.key)) errors.key = "Use letters, digits, '-' and '_' only.";
  if (!v.name) errors.name = "A display name is required.";
  if (v.paths.length === 0) errors.paths = "Add at least one image folder.";
  if (!Number.isInteger(v.minDimension) || v.minDimension < 1) errors.minDimension = "At least 1 pixel.";
  if (!Number.isFinite(v.minKb) || v.minKb < 0) errors.minKb = "0 or more.";
  return errors;
}

export function toAlbumJson(v: AlbumFormValues, isNew: boolean): Partial<Album> & { key: string } {
  const out: Partial<Album> & { key: string } = {
    key: v.key,
    name: v.name,
    description: v.description,
    image_paths: v.paths,
    encoder_spec: v.encoder,
    min_image_dimension: v.minDimension,
    min_image_bytes: Math.round(v.minKb * 1024),
  };
  if (isNew) out.index = `${v.paths[0].replace(/\/+$/, "")}/photomap_index/embeddings.npz`;
  return out;
}

// The folder list text with `path` added as a new line (unchanged when it is already listed).
export function addPath(text: string, path: string): string {
  const lines = text.split("\n").map((s) => s.trim()).filter(Boolean);
  if (lines.includes(path)) return lines.join("\n");
  return [...lines, path].join("\n");
}

export class AlbumForm {
  readonly el: HTMLFormElement;
  private readonly fields: Record<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement> = {};
  private readonly errors: Record<string, HTMLElement> = {};

  constructor(
    private readonly isNew: boolean,
    initial: Partial<Album>,
    defaultEncoder: string,
    onSubmit: (json: Partial<Album> & { key: string }) => Promise<void>,
    onCancel: (() => void) | null,
    pickFolder?: (start?: string) => Promise<string | null>,
  ) {
    const id = (n: string) => `album-${isNew ? "new" : initial.key}-${n}`;
    const row = (name: string, label: string, control: HTMLElement, hint?: string) => {
      control.id = id(name);
      this.errors[name] = h("div", { class: "field-error", id: id(name) + "-err", role: "alert" });
      control.setAttribute("aria-describedby", id(name) + "-err");
      return h("div", { class: "field" }, h("label", { for: id(name) }, label), control, hint ? h("div", { class: "hint" }, hint) : null, this.errors[name]);
    };
    const input = (name: string, value: string, attrs: Record<string, string | number> = {}) =>
      (this.fields[name] = h("input", { name, value, ...attrs }));

    const encoder = h("select", { name: "encoder" });
    const current = initial.encoder_spec || defaultEncoder;
    const known = ENCODERS.some(([spec]) => spec === current);
    for (const [spec, label] of ENCODERS) encoder.appendChild(h("option", { value: spec }, label + (spec === defaultEncoder ? " — server default" : "")));
    if (!known && current) encoder.appendChild(h("option", { value: current }, `${current} (custom)`));
    encoder.value = current;
    this.fields.encoder = encoder;

    const paths = h("textarea", { name: "paths", rows: 2, placeholder: "/path/to/photos (one folder per line)" });
    paths.value = (initial.image_paths ?? []).join("\n");
    this.fields.paths = paths;
    const browseFolder = async (pick: NonNullable<typeof pickFolder>) => {
      const lines = paths.value.split("\n").map((s) => s.trim()).filter(Boolean);
      const chosen = await pick(lines[lines.length - 1]);
      if (chosen) paths.value = addPath(paths.value, chosen);
      paths.focus();
    };
    const browse = pickFolder
      ? h("button", { type: "button", class: "btn folder-browse", "aria-label": "Browse for an image folder", onclick: () => void browseFolder(pickFolder) }, "Browse…")
      : null;

    const submit = h("button", { type: "submit", class: "btn btn-green" }, isNew ? "Add Album" : "Save Changes");
    this.el = h(
      "form",
      { class: "album-form", novalidate: true, "aria-label": isNew ? "Add album" : `Edit album ${initial.key}` },
      isNew ? row("key", "Album Key", input("key", initial.key ?? "", { autocomplete: "off", spellcheck: "false" }), "Short and URL-safe; cannot be changed later.") : null,
      row("name", "Display Name", input("name", initial.name ?? "")),
      row("description", "Description", input("description", initial.description ?? "")),
      row("paths", "Image Folder(s)", paths, "One folder per line; type a path or use Browse…"),
      browse,
      row("encoder", "Encoder", encoder, isNew ? undefined : "Changing the encoder rebuilds the index from scratch on the next update."),
      h(
        "fieldset",
        { class: "field small-filter" },
        h("legend", {}, "Exclude thumbnails and other images below this size:"),
        h("label", { for: id("minKb") }, input("minKb", String(Math.round((initial.min_image_bytes ?? 8192) / 1024)), { type: "number", min: 0, step: 1, id: id("minKb"), class: "num" }), " KB"),
        h("label", { for: id("minDimension") }, input("minDimension", String(initial.min_image_dimension ?? 256), { type: "number", min: 1, step: 1, id: id("minDimension"), class: "num" }), " pixels"),
        (this.errors.minKb = h("div", { class: "field-error", role: "alert" })),
        (this.errors.minDimension = h("div", { class: "field-error", role: "alert" })),
      ),
      h("div", { class: "form-buttons" }, submit, onCancel ? h("button", { type: "button", class: "btn", onclick: () => onCancel() }, "Cancel") : null),
    );

    this.el.addEventListener("submit", (e) => {
      e.preventDefault();
      const v = this.values(initial.key ?? "");
      const errs = validateAlbumForm(v, isNew);
      for (const [name, el] of Object.entries(this.errors)) {
        el.textContent = errs[name] ?? "";
        this.fields[name]?.classList.toggle("invalid", !!errs[name]);
        this.fields[name]?.setAttribute("aria-invalid", errs[name] ? "true" : "false");
      }
      const first = Object.keys(errs)[0];
      if (first) {
        this.fields[first]?.focus();
        return;
      }
      submit.setAttribute("disabled", "");
      void onSubmit(toAlbumJson(v, isNew)).finally(() => submit.removeAttribute("disabled"));
    });
  }

  private values(existingKey: string): AlbumFormValues {
    const get = (n: string) => (this.fields[n]?.value ?? "").trim();
    return {
      key: this.isNew ? get("key") : existingKey,
      name: get("name"),
      description: get("description"),
      paths: get("paths").split("\n").map((s) => s.trim()).filter(Boolean),
      encoder: get("encoder"),
      minDimension: Number(get("minDimension")),
      minKb: Number(get("minKb")),
    };
  }

  focusFirst(): void {
    (this.fields.key ?? this.fields.name)?.focus();
  }
}
