"""A Fashion-MNIST pool of the first N training images, for the strategy benchmarks of docs/quality.md.

    python3 src/test/python/fmnist_subset.py /usr/share/datasets/fashion-mnist fmnist-10k 10000

Writes the four IDX files into the output directory: the training images and labels cut to the first N
(the header's count rewritten), the 10,000-image test split unchanged.
"""
import gzip
import os
import shutil
import struct
import sys


def main(src, dst, n):
    os.makedirs(dst, exist_ok=True)
    for kind, header, item in (("images-idx3", 16, 28 * 28), ("labels-idx1", 8, 1)):
        data = gzip.open(f"{src}/train-{kind}-ubyte.gz").read()
        count = struct.unpack(">I", data[4:8])[0]
        if n > count:
            sys.exit(f"the pool has {count} training images, fewer than {n}")
        out = bytearray(data[:header])
        out[4:8] = struct.pack(">I", n)
        with gzip.open(f"{dst}/train-{kind}-ubyte.gz", "wb") as f:
            f.write(bytes(out) + data[header:header + n * item])
        shutil.copy(f"{src}/t10k-{kind}-ubyte.gz", dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
