#!/usr/bin/env python3
"""The tools a researcher would use instead of framelens, on the same corpus, for
scripts/bench.sh to time beside it:

    python3 scripts/baseline.py count   DIR [LEXICON.csv]   # pyahocorasick lexicon counts
    python3 scripts/baseline.py align   DIR OUT.csv         # scikit-learn TF-IDF cosine stories
    python3 scripts/baseline.py keyness DIR                 # Fightin' Words in plain Python

Each reads every .txt file of DIR (header block skipped) and does the textbook thing:
`count` lower-cases the text and counts lexicon terms at word boundaries per outlet;
`align` builds TF-IDF vectors of all articles, computes the full cosine similarity matrix
and joins articles above 0.12 within 10 days (connected components; 0.12 is the
threshold that gives this baseline its best F1 on gen_corpus.py corpora), writing story,path
rows; `keyness` counts unigrams per outlet and computes the log-odds z-scores with an
informative Dirichlet prior (Monroe, Colaresi and Quinn 2008).
"""

import csv
import math
import os
import re
import sys
from collections import Counter, defaultdict


def articles(folder):
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".txt"):
            continue
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as f:
            raw = f.read()
        meta, text = {}, raw
        if "\n---\n" in raw:
            head, text = raw.split("\n---\n", 1)
            for line in head.splitlines():
                if ":" in line:
                    k, v = line.split(":", 1)
                    meta[k.strip()] = v.strip()
        yield path, meta, text


def count(folder, lexicon):
    import ahocorasick

    terms = []
    with open(lexicon, encoding="utf-8") as f:
        rows = [line for line in f if not line.startswith("#")]
    for row in csv.DictReader(rows):
        terms.append((row["term"].replace("*", "").lower(), row["pole"]))
    auto = ahocorasick.Automaton()
    for i, (t, pole) in enumerate(terms):
        auto.add_word(t, (t, pole))
    auto.make_automaton()
    counts = defaultdict(Counter)
    for _, meta, text in articles(folder):
        low = text.lower()
        for end, (t, pole) in auto.iter(low):
            start = end - len(t) + 1
            before = low[start - 1] if start > 0 else " "
            after = low[end + 1] if end + 1 < len(low) else " "
            if not before.isalnum() and not after.isalnum():
                counts[meta.get("outlet", "unknown")][pole] += 1
    for outlet in sorted(counts):
        print(outlet, dict(sorted(counts[outlet].items())))


def align(folder, out):
    import datetime
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    paths, dates, texts = [], [], []
    for path, meta, text in articles(folder):
        paths.append(path)
        dates.append(datetime.date.fromisoformat(meta["date"]))
        texts.append(text)
    tfidf = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    sim = cosine_similarity(tfidf, dense_output=False)
    parent = list(range(len(paths)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sim = sim.tocoo()
    for i, j, v in zip(sim.row, sim.col, sim.data):
        if i < j and v >= 0.12 and abs((dates[i] - dates[j]).days) <= 10:
            parent[find(i)] = find(j)
    groups = defaultdict(list)
    for i in range(len(paths)):
        groups[find(i)].append(i)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["story", "path"])
        for k, members in enumerate(sorted(groups.values())):
            if len(members) > 1:
                for i in members:
                    w.writerow([k + 1, paths[i]])


def keyness(folder):
    word = re.compile(r"\w+")
    counts = defaultdict(Counter)
    for _, meta, text in articles(folder):
        counts[meta.get("outlet", "unknown")].update(word.findall(text.lower()))
    total = Counter()
    for c in counts.values():
        total.update(c)
    n = sum(total.values())
    best = {}
    for g, c in counts.items():
        ni = sum(c.values())
        nj = n - ni
        rows = []
        for t, yi in c.items():
            a = total[t]  # prior: corpus counts (alpha0 = n)
            yj = total[t] - yi
            di, dj = ni + n - yi - a, nj + n - yj - a
            delta = math.log((yi + a) / di) - math.log((yj + a) / dj)
            rows.append((delta / math.sqrt(1 / (yi + a) + 1 / (yj + a)), t))
        rows.sort(reverse=True)
        best[g] = rows[:5]
    for g in sorted(best):
        print(g, best[g])


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "count":
        here = os.path.dirname(os.path.abspath(__file__))
        count(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else
              os.path.join(here, "..", "lexicons", "karabakh.csv"))
    elif cmd == "align":
        align(sys.argv[2], sys.argv[3])
    elif cmd == "keyness":
        keyness(sys.argv[2])
    else:
        sys.exit(__doc__)
