#!/usr/bin/env python3
"""Pairwise precision, recall and F1 of a story grouping against a ground truth.

    python3 scripts/pairwise_f1.py TRUTH.csv ALIGN.csv

TRUTH.csv: path,story (story empty for single articles), as written by gen_corpus.py.
ALIGN.csv: the output of `framelens align --level story --format csv` (columns story, path;
documents in no story are absent or have an empty story). A pair is two documents in one
story; precision is the share of predicted pairs that are true, recall the share of true
pairs predicted. Prints one line: precision recall f1 true_pairs predicted_pairs.
"""

import csv
import sys
from collections import defaultdict


def pairs(groups):
    out = set()
    for members in groups.values():
        members = sorted(members)
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                out.add((a, b))
    return out


def load(path, story_col="story", path_col="path"):
    groups = defaultdict(list)
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row.get(story_col):
                groups[row[story_col]].append(row[path_col])
    return groups


def main():
    truth = pairs(load(sys.argv[1]))
    pred = pairs(load(sys.argv[2]))
    tp = len(truth & pred)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(truth) if truth else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{p:.4f} {r:.4f} {f1:.4f} {len(truth)} {len(pred)}")


if __name__ == "__main__":
    main()
