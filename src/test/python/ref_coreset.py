"""NumPy reference for `winnow select --strategy coreset`: k-center greedy, vectorised.

usage: ref_coreset.py PREDICTIONS_DIR EXCLUDE_FILE COUNT OUT
Excluded ids are the initial centres; each step picks the sample farthest (Euclidean) from its
nearest centre and updates every sample's distance to its nearest centre. Squared distances
use the norm expansion |x|^2 - 2 x.c + |c|^2 so the heavy work is one BLAS call per block/step.
"""
import json
import os
import sys

import numpy as np

pred, exclude, count, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(os.path.join(pred, "ids.txt")) as f:
    ids = f.read().split()
with open(exclude) as f:
    excluded = set(f.read().split())
emb = np.load(os.path.join(pred, "embeddings.npy"))
n = emb.shape[0]
mask = np.fromiter((i in excluded for i in ids), dtype=bool, count=n)
sq = np.einsum("ij,ij->i", emb, emb)
md = np.full(n, np.inf, dtype=np.float32)
if mask.any():
    # distance to the nearest initial centre: one GEMM per block of rows, in place after it
    neg2ct = -2.0 * emb[mask].T
    csq = sq[mask]
    for s in range(0, n, 2048):
        d = emb[s:s + 2048] @ neg2ct
        d += csq
        md[s:s + 2048] = d.min(axis=1) + sq[s:s + 2048]
md[mask] = -np.inf
chosen, scores = [], []
for _ in range(count):
    i = int(np.argmax(md))
    chosen.append(i)
    scores.append(float(np.sqrt(max(md[i], 0.0))) if np.isfinite(md[i]) else 0.0)
    d = emb @ (-2.0 * emb[i])
    d += sq + sq[i]
    np.minimum(md, d, out=md)
    md[i] = -np.inf
with open(out, "w") as f:
    for rank, (i, s) in enumerate(zip(chosen, scores), 1):
        f.write(json.dumps({"id": ids[i], "score": s, "rank": rank, "strategy": "coreset"}) + "\n")
