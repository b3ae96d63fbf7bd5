#!/usr/bin/env python3
"""Deterministic generator of realistic multi-outlet news corpora, for benchmarks.

    python3 scripts/gen_corpus.py OUT_DIR --articles 10000 [--seed 1] [--size-mb N]

Writes OUT_DIR/NNNNNNN.txt articles (a `key: value` header closed by `---`, then the text)
and OUT_DIR/../<name>.truth.csv with one row per article: path,story. About 60% of the
articles belong to stories of 3-5 reports from different outlets, published within a few
days of each other; they share the event's named entities, numbers and one or two quotes,
each outlet paraphrasing the facts in its own words and trimming the quotes differently.
The rest are single articles (story ""). Framing terms come from lexicons/karabakh.csv,
each outlet leaning to one pole. Text length is 300-900 words. The vocabulary is English
function words plus a Zipf-distributed pool of pseudo-words, so that TF-IDF and the word
segmenter see realistic frequency distributions; no real person or event is described.

With --size-mb the article count is raised until the corpus reaches that many megabytes
(used for the flat-memory streaming demo). The same arguments always give the same bytes.
"""

import argparse
import csv
import datetime
import os
import random
import sys

OUTLETS = [
    # name, pole it leans to, dateline style
    ("Trend", "azerbaijan"),
    ("Anadolu Agency", "azerbaijan"),
    ("APA", "azerbaijan"),
    ("Armenpress", "armenia"),
    ("Asbarez", "armenia"),
    ("news.am", "armenia"),
    ("TASS", "neutral"),
    ("Press TV", "neutral"),
    ("Reuters", "neutral"),
    ("Interfax", "neutral"),
]

FUNCTION = (
    "the of and to in a that for on is was with as by it at from said his be has have "
    "are an not this which but had were they their been its also after who will would "
    "more than over about into two one new other some when there all last year first "
    "people could up out them government officials according told week during while "
    "since under before between against three such because most these many where"
).split()

SYLLABLES = (
    "ka ro ven mi ta sol der an bel tor lin ur pe shar gol dim ne vas ku ber zo ral "
    "fen ti mar os hal ek run sa"
).split()

VERBS = ["said", "stated", "announced", "noted", "stressed", "added", "told reporters"]

EVENTS = [
    ("talks", ["held talks", "met for negotiations", "sat down for discussions"]),
    ("shelling", ["reported shelling", "came under artillery fire", "was shelled"]),
    ("exchange", ["agreed a prisoner exchange", "swapped detainees", "handed over captives"]),
    ("flood", ["was hit by floods", "suffered flooding", "saw rivers burst their banks"]),
    ("trade", ["signed a trade accord", "concluded a commercial agreement", "sealed a trade deal"]),
    ("election", ["held a local election", "went to the polls", "voted in municipal elections"]),
    ("pipeline", ["opened a gas pipeline", "launched a new pipeline", "began pumping gas"]),
    ("mine", ["cleared a minefield", "removed landmines", "finished demining work"]),
]


def pseudo_word(rng, n_syl):
    return "".join(rng.choice(SYLLABLES) for _ in range(n_syl))


class Vocabulary:
    """Zipf-distributed content words; cumulative weights for fast sampling."""

    def __init__(self, rng, size):
        seen = set(FUNCTION)
        words = []
        while len(words) < size:
            w = pseudo_word(rng, rng.choice((2, 2, 3, 3, 4)))
            if w not in seen:
                seen.add(w)
                words.append(w)
        self.words = words
        total = 0.0
        self.cum = []
        for rank in range(1, size + 1):
            total += 1.0 / (rank + 30)  # flattened head: function words fill it
            self.cum.append(total)

    def sample(self, rng, k):
        return rng.choices(self.words, cum_weights=self.cum, k=k)


def load_terms(path):
    terms = {"azerbaijan": [], "armenia": [], "neutral": []}
    with open(path, encoding="utf-8") as f:
        rows = [line for line in f if not line.startswith("#")]
    for row in csv.DictReader(rows):
        term = row["term"].replace("*", "")
        if row["pole"] in terms and " " not in term.strip() and len(term) > 3:
            terms[row["pole"]].append(term.strip())
    return terms


def name(rng):
    return pseudo_word(rng, 2).capitalize() + " " + pseudo_word(rng, 3).capitalize()


def sentence(rng, vocab, n):
    words = []
    for _ in range(n):
        words.append(rng.choice(FUNCTION) if rng.random() < 0.45 else vocab.sample(rng, 1)[0])
    words[0] = words[0].capitalize()
    if n > 8 and rng.random() < 0.5:
        words[n // 2] += ","
    return " ".join(words) + "."


class Story:
    def __init__(self, rng, vocab, day):
        self.kind, self.phrases = rng.choice(EVENTS)
        self.people = [name(rng) for _ in range(rng.randint(2, 3))]
        self.place = pseudo_word(rng, 3).capitalize()
        self.topic = vocab.sample(rng, 400)[-12:]  # mid- and low-frequency words
        self.numbers = [str(rng.randint(3, 900)) for _ in range(2)]
        self.day = day
        # The story's facts as the wire first told them; each outlet retells some of them
        # in its own words (see `retell`).
        self.facts = []
        for _ in range(8):
            words = sentence(rng, vocab, rng.randint(10, 22)).rstrip(".").split()
            for _ in range(rng.randint(2, 4)):
                words.insert(rng.randrange(1, len(words)), rng.choice(self.topic))
            self.facts.append(words)
        self.quotes = [
            " ".join(rng.choice(FUNCTION) if rng.random() < 0.4 else rng.choice(self.topic)
                     for _ in range(rng.randint(12, 20)))
            for _ in range(2)
        ]


def retell(rng, vocab, words):
    """A paraphrase: about one word in six replaced, a clause dropped now and then."""
    out = [w if rng.random() > 0.17 else vocab.sample(rng, 1)[0] for w in words]
    if len(out) > 12 and rng.random() < 0.3:
        cut = rng.randrange(6, len(out) - 3)
        out = out[:cut]
    out[0] = out[0].capitalize()
    return " ".join(out) + "."


def quote_variant(rng, q):
    words = q.split()
    # Outlets trim and translate the same quote differently.
    start = rng.randint(0, 2)
    end = len(words) - rng.randint(0, 2)
    words = words[start:end]
    if rng.random() < 0.3:
        i = rng.randrange(len(words))
        words[i] = rng.choice(FUNCTION)
    return " ".join(words)


def story_paragraphs(rng, vocab, st, outlet_pole, terms):
    paras = []
    who = rng.choice(st.people)
    lead = (f"{st.place} {rng.choice(st.phrases)} on {st.day:%B} {st.day.day}, "
            f"with {st.numbers[0]} people involved, {who} {rng.choice(VERBS)}.")
    paras.append(lead + " " + " ".join(
        sentence(rng, vocab, rng.randint(8, 20)) for _ in range(rng.randint(1, 3))))
    for q in st.quotes[: rng.randint(1, 2)]:
        speaker = rng.choice(st.people)
        paras.append(f"\u201c{quote_variant(rng, q).capitalize()},\u201d {speaker} "
                     f"{rng.choice(VERBS[:3])}.")
    facts = rng.sample(st.facts, rng.randint(4, 7))
    while facts:
        body = [retell(rng, vocab, f) for f in facts[:rng.randint(1, 3)]]
        facts = facts[len(body):]
        # The outlet's own background and comment between the facts.
        body.append(sentence(rng, vocab, rng.randint(8, 24)))
        paras.append(" ".join(body))
    paras.append(f"Some {st.numbers[1]} {rng.choice(st.topic)} were reported in {st.place}, "
                 f"{rng.choice(st.people)} added.")
    framing(rng, paras, outlet_pole, terms)
    return paras


def single_paragraphs(rng, vocab, outlet_pole, terms):
    topic = vocab.sample(rng, 300)[-8:]
    paras = []
    for _ in range(rng.randint(4, 8)):
        body = []
        for _ in range(rng.randint(2, 5)):
            s = sentence(rng, vocab, rng.randint(8, 24)).split()
            s.insert(rng.randrange(1, len(s)), rng.choice(topic))
            body.append(" ".join(s))
        paras.append(" ".join(body))
    framing(rng, paras, outlet_pole, terms)
    return paras


def framing(rng, paras, pole, terms):
    """Puts 1-6 framing terms of the outlet's pole (and some neutral ones) in its own words."""
    for _ in range(rng.randint(1, 6)):
        p = pole if rng.random() < 0.75 else "neutral"
        if not terms[p]:
            continue
        i = rng.randrange(len(paras))
        if paras[i].startswith("\u201c"):
            continue
        words = paras[i].split(" ")
        words.insert(rng.randrange(1, len(words)), rng.choice(terms[p]))
        paras[i] = " ".join(words)


def pad_to_length(rng, vocab, paras, lo, hi):
    target = rng.randint(lo, hi)
    words = sum(len(p.split()) for p in paras)
    while words < target:
        s = " ".join(sentence(rng, vocab, rng.randint(8, 24)) for _ in range(rng.randint(2, 4)))
        paras.insert(rng.randrange(1, len(paras) + 1), s)
        words += len(s.split())


def article(outlet, day, title, paras):
    head = f"outlet: {outlet}\ndate: {day.isoformat()}\ntitle: {title}\n---\n"
    return head + "\n\n".join(paras) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size-mb", type=float, default=0.0)
    ap.add_argument("--lexicon", default=os.path.join(os.path.dirname(__file__), "..",
                                                      "lexicons", "karabakh.csv"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    vocab = Vocabulary(rng, 40000)
    terms = load_terms(args.lexicon)
    os.makedirs(args.out, exist_ok=True)
    truth_path = args.out.rstrip("/") + ".truth.csv"
    start = datetime.date(2019, 1, 1)
    # A steady flow of news: about 50 articles a day whatever the corpus size.
    days = max(30, args.articles // 50)
    n, story_no, written = 0, 0, 0
    limit = args.size_mb * 1e6
    with open(truth_path, "w", newline="", encoding="utf-8") as tf:
        truth = csv.writer(tf, lineterminator="\n")
        truth.writerow(["path", "story"])
        while n < args.articles or (limit and written < limit):
            day = start + datetime.timedelta(days=rng.randrange(days))
            if rng.random() < 0.27:  # about 60% of articles in stories
                story_no += 1
                st = Story(rng, vocab, day)
                outlets = rng.sample(OUTLETS, rng.randint(3, 5))
                items = []
                for outlet, pole in outlets:
                    d = day + datetime.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2)))
                    paras = story_paragraphs(rng, vocab, st, pole, terms)
                    title = f"{st.place}: {st.people[0]} on {rng.choice(st.topic)} {st.kind}"
                    items.append((outlet, d, title, paras, f"story-{story_no:06}"))
            else:
                outlet, pole = rng.choice(OUTLETS)
                paras = single_paragraphs(rng, vocab, pole, terms)
                title = " ".join(vocab.sample(rng, 6)).capitalize()
                items = [(outlet, day, title, paras, "")]
            if not limit:
                items = items[: args.articles - n]  # exactly the number asked for
            for outlet, d, title, paras, story in items:
                pad_to_length(rng, vocab, paras, 300, 900)
                text = article(outlet, d, title, paras)
                path = os.path.join(args.out, f"{n:07}.txt")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                truth.writerow([path, story])
                written += len(text.encode("utf-8"))
                n += 1
    print(f"{n} articles, {story_no} stories, {written / 1e6:.1f} MB in {args.out}; "
          f"ground truth in {truth_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
