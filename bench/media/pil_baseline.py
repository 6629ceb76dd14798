#!/usr/bin/python3
"""PhotoMapAI's PIL paths on the same files as bench_media, for a same-machine baseline.

thumbnail_256: Image.open, exif_transpose, convert RGBA, thumbnail((256,256)), rounded-corner
mask (radius 12), PNG save to memory (PhotoMapAI's /thumbnails).  decode_preprocess_224: open,
exif_transpose, convert RGB, resize short side to 224 (bicubic), centre crop, normalise to float
(CLIP's transform). One thread. Prints JSON lines like bench_media.
Usage: pil_baseline.py [--rounds N] [FILE_OR_DIR...]
"""
import glob, io, json, os, statistics, sys, time

import numpy as np
from PIL import Image, ImageDraw, ImageOps

PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}  # what make_corpus.py writes
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def thumbnail(path):
    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im).convert("RGBA")
        im.thumbnail((256, 256))
        mask = Image.new("L", im.size, 0)
        ImageDraw.Draw(mask).rounded_rectangle([0, 0, im.size[0], im.size[1]], 12, fill=255)
        im.putalpha(mask)
        im.save(io.BytesIO(), format="PNG")


def preprocess(path):
    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im).convert("RGB")
        w, h = im.size
        s = 224 / min(w, h)
        im = im.resize((max(224, round(w * s)), max(224, round(h * s))), Image.BICUBIC)
        w, h = im.size
        left, top = (w - 224) // 2, (h - 224) // 2
        im = im.crop((left, top, left + 224, top + 224))
        x = (np.asarray(im, dtype=np.float32) / 255.0 - MEAN) / STD
        return x


def run(set_name, files, rounds):
    work = []
    while len(work) < 24:
        work += files
    for name, fn in (("pil_decode_preprocess_224", preprocess), ("pil_thumbnail_256", thumbnail)):
        rates = []
        failures = 0
        for _ in range(rounds):
            failures = 0
            t0 = time.perf_counter()
            for f in work:
                try:
                    fn(f)
                except Exception:  # broken files: PIL raises; PhotoMapAI logs and skips them
                    failures += 1
            rates.append(len(work) / (time.perf_counter() - t0))
        if failures:
            print(f"{name}/{set_name}: {failures} failures", file=sys.stderr)
        print(json.dumps({"name": f"{name}_{set_name}_1thread", "value": round(statistics.median(rates), 2), "unit": "img/s"}), flush=True)


def main():
    args = sys.argv[1:]
    rounds = 3
    if args[:1] == ["--rounds"]:
        rounds, args = int(args[1]), args[2:]
    if not args:
        photos = os.path.join(os.path.dirname(__file__), "../../../shared/photos")
        run("12mp", [os.path.join(photos, "formats/photo_12mp_4032x3024.jpg")], rounds)
        run("real", sorted(glob.glob(os.path.join(photos, "real/*.jp*g"))), rounds)
    else:
        files = []
        for a in args:
            if os.path.isdir(a):
                files += sorted(p for p in glob.glob(os.path.join(a, "**/*"), recursive=True)
                                if os.path.splitext(p)[1].lower() in PHOTO_EXTENSIONS)
            else:
                files.append(a)
        run("custom", files, rounds)


if __name__ == "__main__":
    main()
