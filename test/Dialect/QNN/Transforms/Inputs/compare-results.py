#!/usr/bin/env python3
"""Compares two `qnn-run --print` outputs element by element.

compare-results.py EXPECTED ACTUAL --max-diff N

Prints one summary line per result ("result #i: E elements, D differ, max
|diff| M") and exits with status 1 if the results differ in number, type or
size, or if any element differs by more than N.
"""
import argparse
import re
import sys


def parse(path):
    """[(header, [ints])] for each '// result #i: type' block."""
    results = []
    with open(path) as f:
        for line in f:
            if line.startswith("//"):
                results.append((line.strip(), []))
            elif results:
                results[-1][1].extend(int(v) for v in re.findall(r"-?\d+", line))
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("expected")
    parser.add_argument("actual")
    parser.add_argument("--max-diff", type=int, required=True)
    args = parser.parse_args()
    expected, actual = parse(args.expected), parse(args.actual)
    if [h for h, _ in expected] != [h for h, _ in actual]:
        print("results differ in number or type")
        return 1
    ok = bool(expected)
    for i, ((_, e), (_, a)) in enumerate(zip(expected, actual)):
        if len(e) != len(a) or not e:
            print(f"result #{i}: {len(e)} and {len(a)} elements")
            ok = False
            continue
        diffs = [abs(x - y) for x, y in zip(e, a)]
        worst = max(diffs)
        print(f"result #{i}: {len(e)} elements, "
              f"{sum(d != 0 for d in diffs)} differ, max |diff| {worst}")
        ok = ok and worst <= args.max_diff
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
