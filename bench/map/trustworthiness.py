#!/usr/bin/env python3
"""Trustworthiness of the layouts written by bench_umap, with scikit-learn.

Usage: /usr/bin/python3 trustworthiness.py DATA_DIR OUT_DIR [--sample 5000] [--k 5,15]
Reads DATA_DIR/<set>.npy and OUT_DIR/<set>.layout.npy; prints JSON lines
{"name": "trustworthiness_<set>_k<k>", "value": ..., "unit": "ratio"} (Euclidean, as
sklearn.manifold.trustworthiness defaults; sets above --sample rows use a seeded subsample).
Needs Debian's python3-numpy and python3-sklearn.
"""
import argparse
import glob
import json
import os

import numpy as np
from sklearn.manifold import trustworthiness


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--sample", type=int, default=5000)
    ap.add_argument("--k", default="5,15")
    a = ap.parse_args()
    for lay_path in sorted(glob.glob(os.path.join(a.out_dir, "*.layout.npy"))):
        name = os.path.basename(lay_path)[: -len(".layout.npy")]
        x = np.load(os.path.join(a.data_dir, name + ".npy"))
        y = np.load(lay_path)
        if x.shape[0] > a.sample:
            idx = np.random.default_rng(0).choice(x.shape[0], a.sample, replace=False)
            x, y = x[idx], y[idx]
        for k in [int(v) for v in a.k.split(",")]:
            t = trustworthiness(x, y, n_neighbors=k)
            print(json.dumps({"name": f"trustworthiness_{name}_k{k}", "value": round(float(t), 4),
                              "unit": "ratio"}), flush=True)


if __name__ == "__main__":
    main()
