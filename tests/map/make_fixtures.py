#!/usr/bin/env python3
"""Generates the DBSCAN and Cluster Strength fixtures for tests/map with scikit-learn.

Run with Debian's interpreter: /usr/bin/python3 tests/map/make_fixtures.py (python3-sklearn,
python3-numpy). Deterministic; writes tests/map/fixtures/{dbscan,cluster_eps}.json. The C++ tests
only read the JSON. Coordinates are float32 values written as exact decimals.
"""
import hashlib
import json
import os

import numpy as np
from sklearn.cluster import DBSCAN
from sklearn.neighbors import KDTree, NearestNeighbors

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def blobs(rng, centers, sizes, spreads):
    parts = [rng.normal(c, s, size=(n, 2)) for c, n, s in zip(centers, sizes, spreads)]
    return np.concatenate(parts).astype(np.float32)


def point_sets():
    r = np.random.default_rng(7)
    sets = {}
    x = blobs(r, [(0, 0), (6, 1), (3, 7), (12, 12)], [120, 80, 60, 40], [0.6, 0.9, 0.4, 1.5])
    noise = r.uniform(-4, 16, size=(40, 2)).astype(np.float32)
    mixed = np.concatenate([x, noise])
    sets["blobs_noise"] = mixed[r.permutation(len(mixed))]
    sets["uniform"] = r.uniform(0, 10, size=(400, 2)).astype(np.float32)
    sets["giant_and_small"] = blobs(r, [(0, 0), (9, 9), (-8, 7), (10, -6)], [500, 40, 30, 25],
                                    [2.0, 0.3, 0.3, 0.3])
    # Integer lattice: many neighbours exactly at eps = 1 (the inclusive <= test).
    g = np.array([(i, j) for i in range(12) for j in range(12)], dtype=np.float32)
    sets["lattice"] = g
    # Two dense groups sharing border points: the first cluster to reach a border point keeps it.
    a = np.array([(0, 0), (0.1, 0), (0, 0.1), (0.1, 0.1), (0.05, 0.05)], dtype=np.float32)
    bridge = np.array([(0.55, 0.05)], dtype=np.float32)
    b = a + np.float32(1.1)
    b[:, 1] = a[:, 1]
    sets["shared_border"] = np.concatenate([b, bridge, a])
    sets["duplicates"] = np.repeat(np.array([[1, 1], [5, 5], [1.5, 1]], dtype=np.float32), 7, axis=0)
    sets["tiny5"] = r.uniform(0, 1, size=(5, 2)).astype(np.float32)
    sets["single"] = np.array([[3, 4]], dtype=np.float32)
    sets["layout1200"] = blobs(r, [tuple(c) for c in r.uniform(0, 20, size=(15, 2))],
                               list(r.integers(30, 120, size=15)), list(r.uniform(0.2, 1.2, size=15)))
    return sets


def adaptive_cluster_eps(x, ms):
    n = x.shape[0]
    k = min(ms, n - 1)
    if k < 1:
        return 0.2
    d, _ = NearestNeighbors(n_neighbors=k + 1, algorithm="kd_tree").fit(x).kneighbors(x)
    d = d[:, -1]
    cands = [float(np.percentile(d, q)) for q in (40, 50, 60, 70, 80, 90)]
    cands = [c for c in cands if c > 0]
    if not cands:
        return 0.2
    best = cands[0]
    for e in cands:
        labels = DBSCAN(eps=e, min_samples=ms, algorithm="kd_tree").fit_predict(x)
        share = np.bincount(labels[labels >= 0]).max() / n if (labels >= 0).any() else 0.0
        if share > 0.25:
            break
        best = e
    return best


def resolve_cluster_eps(x, eps, ms):
    n = x.shape[0]
    if eps is None:
        eps = adaptive_cluster_eps(x, ms)
        span = np.ptp(x, axis=0).max() if n > 1 else 0.0
        if span > 0:
            eps = min(eps, 0.25 * span)
    eps = max(eps, 0.01)
    if n >= 2:
        tree = KDTree(x)
        while eps > 1e-6:
            if int(tree.query_radius(x, r=eps, count_only=True).sum()) <= 50_000_000:
                return float(eps)
            eps *= 0.7
    return float(eps)


def fingerprint(x, ms):
    h = hashlib.blake2b(digest_size=16)
    h.update(np.ascontiguousarray(x, dtype=np.float32).tobytes())
    h.update(str(ms).encode("ascii"))
    return h.hexdigest()


def flat(x):
    return [float(v) for v in x.astype(np.float64).ravel()]


def main():
    os.makedirs(OUT, exist_ok=True)
    sets = point_sets()
    runs = {
        "blobs_noise": [(0.5, 5), (0.8, 10), (1.5, 3), (0.3, 1)],
        "uniform": [(0.6, 5), (1.0, 10)],
        "giant_and_small": [(0.5, 10), (0.35, 4)],
        "lattice": [(1.0, 5), (1.0, 6), (1.4142135, 9), (1.4142136, 9), (0.999, 2)],
        "shared_border": [(0.5, 5), (0.6, 5)],
        "duplicates": [(1e-9, 7), (0.01, 8), (0.6, 10)],
        "tiny5": [(0.5, 2)],
        "single": [(0.5, 1), (0.5, 2)],
        "layout1200": [(0.25, 10), (0.5, 10), (0.12, 5)],
    }
    cases = []
    for name, params in runs.items():
        x = sets[name]
        for eps, ms in params:
            labels = DBSCAN(eps=eps, min_samples=ms).fit_predict(x) if len(x) else []
            cases.append({"name": f"{name}_eps{eps}_ms{ms}", "xy": flat(x), "eps": eps,
                          "min_samples": ms, "labels": [int(v) for v in labels]})
    with open(os.path.join(OUT, "dbscan.json"), "w") as f:
        json.dump({"generator": "sklearn " + __import__("sklearn").__version__, "cases": cases}, f)

    eps_cases = []
    for name in ["blobs_noise", "uniform", "giant_and_small", "lattice", "duplicates", "tiny5",
                 "single", "layout1200"]:
        x = sets[name]
        for ms in (10, 5):
            eps_cases.append({"name": f"{name}_ms{ms}", "xy": flat(x), "min_samples": ms,
                              "requested": None, "adaptive": adaptive_cluster_eps(x, ms),
                              "resolved": resolve_cluster_eps(x, None, ms),
                              "fingerprint": fingerprint(x, ms)})
    # Typed values: floored at 0.01, never span-clamped; and the pair budget (> 50M pairs).
    eps_cases.append({"name": "uniform_typed_small", "xy": flat(sets["uniform"]), "min_samples": 10,
                      "requested": 0.001, "resolved": resolve_cluster_eps(sets["uniform"], 0.001, 10)})
    eps_cases.append({"name": "uniform_typed_large", "xy": flat(sets["uniform"]), "min_samples": 10,
                      "requested": 50.0, "resolved": resolve_cluster_eps(sets["uniform"], 50.0, 10)})
    # 90 x 90 grid of float32 i/89 (regenerated by the C++ test rather than stored): 65.6M pairs.
    axis = np.arange(90, dtype=np.float32) / np.float32(89)
    budget = np.array([(a, b) for a in axis for b in axis], dtype=np.float32)
    eps_cases.append({"name": "pair_budget_grid90", "xy": [], "grid": 90, "min_samples": 10,
                      "requested": 5.0, "resolved": resolve_cluster_eps(budget, 5.0, 10)})
    with open(os.path.join(OUT, "cluster_eps.json"), "w") as f:
        json.dump({"generator": "sklearn " + __import__("sklearn").__version__, "cases": eps_cases}, f)


if __name__ == "__main__":
    main()
