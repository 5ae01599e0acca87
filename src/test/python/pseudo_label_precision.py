"""How right a bench's pseudo-labels were: each training's pseudo-labels.jsonl against the IDX ground truth.

    python3 src/test/python/pseudo_label_precision.py POOL_DIR BENCH_WORKDIR...

Prints, per training (loop and round), the number of pseudo-labels and the share whose class is the true one.
"""
import glob
import gzip
import json
import sys

CLASSES = "t-shirt,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle-boot".split(",")


def main(pool, workdirs):
    truth = gzip.open(f"{pool}/train-labels-idx1-ubyte.gz").read()[8:]
    for workdir in workdirs:
        for f in sorted(glob.glob(f"{workdir}/loops/*/artifacts/runs/*/attempts/*/pseudo-labels.jsonl")):
            run = f.split("/runs/")[1].split("/")[0]
            n = right = 0
            for line in open(f):
                row = json.loads(line)
                n += 1
                right += truth[int(row["id"].split("-")[1])] == CLASSES.index(row["label"])
            print(f"{run}\t{n}\t{right / n:.4f}" if n else f"{run}\t0\t-")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
