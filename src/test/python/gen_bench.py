"""Writes the benchmark inputs: a margin pool (probabilities) and a coreset pool (embeddings).

usage: gen_bench.py margin DIR N C SEED | coreset DIR N D EXCLUDED SEED [clustered|isotropic]
       | probcover DIR N D SEED
"""
import os
import sys

import numpy as np


def write_ids(out, n):
    with open(os.path.join(out, "ids.txt"), "w") as f:
        f.write("\n".join(f"img-{i:08d}" for i in range(n)))
        f.write("\n")


def margin(out, n, c, seed):
    rng = np.random.default_rng(seed)
    probs = np.empty((n, c), dtype=np.float32)
    step = 200_000
    for s in range(0, n, step):
        # peaked softmax rows, like a trained classifier's output
        logits = rng.standard_normal((min(step, n - s), c), dtype=np.float32) * 3
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        probs[s:s + len(e)] = e / e.sum(axis=1, keepdims=True)
    np.save(os.path.join(out, "probs.npy"), probs)
    write_ids(out, n)


def coreset(out, n, d, excluded, seed, shape):
    rng = np.random.default_rng(seed)
    if shape == "clustered":
        # class-structured embeddings: 100 well separated class means plus per-sample spread
        means = rng.standard_normal((100, d), dtype=np.float32) * 4
        emb = means[rng.integers(0, 100, n)] + rng.standard_normal((n, d), dtype=np.float32)
    else:
        emb = rng.standard_normal((n, d), dtype=np.float32)
    np.save(os.path.join(out, "embeddings.npy"), emb.astype(np.float32))
    write_ids(out, n)
    chosen = rng.choice(n, size=excluded, replace=False)
    with open(os.path.join(out, "exclude.txt"), "w") as f:
        f.write("\n".join(f"img-{i:08d}" for i in sorted(chosen)))
        f.write("\n")


def probcover(out, n, d, seed):
    rng = np.random.default_rng(seed)
    # ten Gaussian clusters, as a self-supervised encoder gives for ten classes (ProbCoverBench's shape)
    means = rng.standard_normal((10, d), dtype=np.float32) * 3
    emb = means[rng.integers(0, 10, n)] + rng.standard_normal((n, d), dtype=np.float32)
    np.save(os.path.join(out, "embeddings.npy"), emb.astype(np.float32))
    write_ids(out, n)


if __name__ == "__main__":
    kind, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    a = [int(x) for x in sys.argv[3:] if x.isdigit()]
    if kind == "margin":
        margin(out, *a)
    elif kind == "probcover":
        probcover(out, *a)
    else:
        shape = sys.argv[7] if len(sys.argv) > 7 else "clustered"
        coreset(out, *a, shape)
