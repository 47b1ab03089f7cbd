"""Writes a tiny CIFAR directory in the distributed binary layout.

Real CIFAR cannot be downloaded here (no network, no Debian package), so the
training tests run on generated files:
  make-cifar.py DIR 10 N   -> DIR/data_batch_{1..5}.bin, DIR/test_batch.bin
  make-cifar.py DIR 100 N  -> DIR/train.bin, DIR/test.bin
with N records per file; records are the label byte(s) (CIFAR-100: coarse,
fine) and 3072 pixel bytes, R, G, B planes of 32 x 32. Pixels are seeded
noise plus a bright square whose place depends on the class.
"""
import os
import random
import sys


def record(rng, classes, label):
    pixels = bytearray(b & 63 for b in rng.randbytes(3 * 32 * 32))
    top, left = 4 * (label % 6), 4 * (label // 6 % 6)
    for plane in range(3):
        for row in range(top, top + 8):
            for col in range(left, left + 8):
                pixels[plane * 1024 + row * 32 + col] = 200
    labels = bytes([label]) if classes == 10 else bytes([label // 5, label])
    return labels + bytes(pixels)


def main():
    directory, classes, per_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    files = (["data_batch_%d.bin" % i for i in range(1, 6)] + ["test_batch.bin"]
             if classes == 10 else ["train.bin", "test.bin"])
    rng = random.Random(1)
    os.makedirs(directory, exist_ok=True)
    for name in files:
        with open(os.path.join(directory, name), "wb") as out:
            for i in range(per_file):
                out.write(record(rng, classes, rng.randrange(classes)))


main()
