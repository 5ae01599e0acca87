"""NumPy reference for `winnow select --strategy margin`: the same algorithm, vectorised.

usage: ref_margin.py PREDICTIONS_DIR COUNT OUT
Score = 1 - (p1 - p2) (p1, p2 the two largest probabilities); the COUNT highest scores win.
"""
import json
import os
import sys

import numpy as np

pred, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(os.path.join(pred, "ids.txt")) as f:
    ids = f.read().split()
probs = np.load(os.path.join(pred, "probs.npy"))
# the two largest per row: partition puts them in the last two columns
top2 = np.partition(probs, probs.shape[1] - 2, axis=1)[:, -2:]
score = 1.0 - (top2[:, 1] - top2[:, 0])
best = np.argpartition(-score, count - 1)[:count]
best = best[np.argsort(-score[best], kind="stable")]
with open(out, "w") as f:
    for rank, i in enumerate(best, 1):
        f.write(json.dumps({"id": ids[i], "score": float(score[i]), "rank": rank, "strategy": "margin"}) + "\n")
