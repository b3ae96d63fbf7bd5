//! Per-document features for alignment. Consumes the corpus (cleaned text, segmented by the
//! text stage); produces, for every document and paragraph, its content words (stop words
//! removed, lightly stemmed, entity variants unified), its named entities, its numbers and
//! dates, and its direct quotations as word shingles. It does not compare documents: that is
//! the job of `stories` and `passages`.
//!
//! Term ids are assigned in sorted order of the terms, so they (and everything derived from
//! them) do not depend on thread timing.

use super::entities;
use crate::corpus::{dates, Corpus, Document};
use crate::text::{quotes, segment, Lang, Segmented};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What a feature item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A content word.
    Word,
    /// A word of a name (capitalized, not only at the start of a sentence).
    Entity,
    /// A number, year or month-day date.
    Number,
}

/// One feature occurrence in a paragraph.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub kind: Kind,
    /// Stem for words and entities (before unification), normalised form for numbers.
    pub key: String,
    /// The folded word as written (words), or the display form (numbers).
    pub form: String,
    /// Index of its sentence in the document.
    pub sentence: u32,
}

/// A paragraph (line of the cleaned text) with its features.
#[derive(Debug, Clone)]
pub(crate) struct RawPara {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub items: Vec<Item>,
}

/// A direct quotation: the keys of its content words, in order.
#[derive(Debug, Clone)]
pub(crate) struct RawQuote {
    pub keys: Vec<String>,
}

/// Everything extracted from one document before corpus-wide statistics.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawDoc {
    pub paras: Vec<RawPara>,
    pub quotes: Vec<RawQuote>,
    /// Runs of adjacent entity words (stems), for showing shared names.
    pub runs: Vec<Vec<String>>,
    /// (stem, written form) of each entity occurrence.
    pub entity_forms: Vec<(String, String)>,
}

/// A light English stemmer: folds plurals (-s, -es, -ies), past tense and participles (-ed,
/// -ied, -ing, with doubled consonants undone) and a final -e, so that "declared",
/// "declares" and "declaring" meet. Words of three letters or fewer, and words with
/// non-letters, are left alone. It over-folds a little ("news" → "new"), which is harmless
/// when both sides are folded the same way.
pub fn stem(word: &str) -> String {
    if word.chars().count() <= 3 || !word.chars().all(char::is_alphabetic) {
        return word.to_string();
    }
    let mut s = word.to_string();
    let n = |s: &str| s.chars().count();
    if s.ends_with("ies") && n(&s) > 4 {
        s.truncate(s.len() - 3);
        s.push('y');
    } else if s.ends_with("sses") || ["ches", "shes", "xes", "zes"].iter().any(|e| s.ends_with(e)) {
        s.truncate(s.len() - 2);
    } else if s.ends_with('s') && !s.ends_with("ss") && !s.ends_with("us") && !s.ends_with("is") {
        s.pop();
    }
    if s.ends_with("ied") && n(&s) > 4 {
        s.truncate(s.len() - 3);
        s.push('y');
    } else if s.ends_with("ed") && n(&s) > 4 {
        s.truncate(s.len() - 2);
        undouble(&mut s);
    } else if s.ends_with("ing") && n(&s) > 5 {
        s.truncate(s.len() - 3);
        undouble(&mut s);
    }
    if s.ends_with('e') && n(&s) > 4 {
        s.pop();
    }
    s
}

fn undouble(s: &mut String) {
    let b = s.as_bytes();
    if b.len() >= 2
        && b[b.len() - 1] == b[b.len() - 2]
        && !matches!(b[b.len() - 1], b'l' | b's' | b'z' | b'e' | b'o')
        && b[b.len() - 1].is_ascii_alphabetic()
    {
        s.pop();
    }
}

/// Calendar words are capitalized in English (or start sentences) but are not names.
pub(crate) const CALENDAR: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
];

const MONTH_ABBR: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The normalised key of a token that holds a digit, or `None` when it carries no
/// information (single digits, zeros): thousands separators dropped ("30,000" → "30000").
pub fn number_key(folded: &str) -> Option<String> {
    let key: String = folded.chars().filter(|&c| c != ',').collect();
    let digits = key.chars().filter(char::is_ascii_digit).count();
    if digits == 0 || key.chars().count() < 2 || key.chars().all(|c| c == '0') {
        return None;
    }
    Some(key)
}

/// How a number key is shown: thousands separators put back in long plain numbers.
pub fn number_display(key: &str) -> String {
    if key.len() >= 5 && key.chars().all(|c| c.is_ascii_digit()) {
        let mut out = String::new();
        for (i, c) in key.chars().enumerate() {
            if i > 0 && (key.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else {
        key.to_string()
    }
}

/// Month-day dates in `text` ("September 27", "Sept. 27", "27 September 2020"), as (start,
/// end, key) with keys like `Sep 27`. Years written with them are left to the number rule.
pub fn month_days(text: &str) -> Vec<(usize, usize, String)> {
    // A leap year, so that "February 29" is kept.
    dates::find_with_year(text, 2000)
        .into_iter()
        .map(|f| {
            let key = format!("{} {}", MONTH_ABBR[usize::from(f.date.month) - 1], f.date.day);
            (f.start, f.end, key)
        })
        .collect()
}

/// Whether most words of a sentence are capitalized (a headline in title case), in which case
/// capitals say nothing about names.
fn title_case(seg: &Segmented, text: &str, range: std::ops::Range<usize>) -> bool {
    let (mut words, mut capitalized) = (0usize, 0usize);
    for i in range {
        if text[seg.tokens[i].start..].starts_with(char::is_alphabetic) {
            words += 1;
            capitalized += usize::from(seg.tokens[i].capitalized);
        }
    }
    words >= 4 && capitalized * 10 >= words * 6
}

/// Strips a possessive from a written name ("Armenia’s" → "Armenia").
pub(crate) fn bare_name(s: &str) -> &str {
    for suffix in ["'s", "’s", "'", "’"] {
        if let Some(b) = s.strip_suffix(suffix) {
            return b;
        }
    }
    s
}

/// Whether each token is the day of a month-day date in `dates` (then not a number of its
/// own). `small_number(i)`: token `i` has a number key of at most two characters.
pub(crate) fn date_days(
    seg: &Segmented,
    dates: &[(usize, usize, String)],
    small_number: impl Fn(usize) -> bool,
) -> Vec<bool> {
    seg.tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            !dates.is_empty()
                && dates.iter().any(|d| t.start >= d.0 && t.end <= d.1)
                && small_number(i)
        })
        .collect()
}

/// Which tokens are name words (see the module docs of `align`): capitalized content words
/// whose `key` (stem) also occurs capitalized away from a sentence start and outside title-case
/// headlines, plus a sentence-initial capitalized word directly before such a name.
/// `content(i)` and `calendar(i)` classify token `i`.
pub(crate) fn name_words<K: std::hash::Hash + Eq>(
    seg: &Segmented,
    text: &str,
    content: impl Fn(usize) -> bool,
    calendar: impl Fn(usize) -> bool,
    key: impl Fn(usize) -> K,
) -> Vec<bool> {
    let n = seg.tokens.len();
    let title_sentence: Vec<bool> =
        seg.sentences.iter().map(|s| title_case(seg, text, s.tokens.clone())).collect();
    let first_of_sentence = |i: usize| seg.sentences[seg.tokens[i].sentence].tokens.start == i;
    let mut named: rustc_hash::FxHashSet<K> = rustc_hash::FxHashSet::default();
    for i in 0..n {
        if seg.tokens[i].capitalized
            && !first_of_sentence(i)
            && !title_sentence[seg.tokens[i].sentence]
            && content(i)
            && !calendar(i)
        {
            named.insert(key(i));
        }
    }
    let mut entity: Vec<bool> = (0..n)
        .map(|i| {
            seg.tokens[i].capitalized && !named.is_empty() && content(i) && named.contains(&key(i))
        })
        .collect();
    // A sentence-initial capitalized word right before a name is part of it ("Mariya
    // Osterholm, the envoy, ..."), unless it is a calendar word ("Today Veloria ...").
    for i in (0..n.saturating_sub(1)).rev() {
        let (t, next) = (&seg.tokens[i], &seg.tokens[i + 1]);
        if !entity[i]
            && entity[i + 1]
            && first_of_sentence(i)
            && t.capitalized
            && t.sentence == next.sentence
            && text[t.end..next.start] == *" "
            && content(i)
            && !calendar(i)
        {
            entity[i] = true;
        }
    }
    entity
}

/// Whether two adjacent entity tokens `p` and `i` belong to one name: same sentence, and only
/// spaces, hyphens or apostrophes between them.
pub(crate) fn same_name(seg: &Segmented, text: &str, p: usize, i: usize) -> bool {
    p + 1 == i
        && seg.tokens[p].sentence == seg.tokens[i].sentence
        && text[seg.tokens[p].end..seg.tokens[i].start]
            .chars()
            .all(|c| c == ' ' || c == '-' || c == '\'' || c == '’')
}

/// Extracts the features of one document.
pub(crate) fn extract(doc: &Document, lang: &Lang) -> RawDoc {
    let text = &doc.text;
    let seg = segment(text, lang);
    let n = seg.tokens.len();
    // Tokens inside month-day dates: the day is not a number feature of its own.
    let dates = month_days(text);
    let in_date =
        date_days(&seg, &dates, |i| number_key(seg.norm(i)).is_some_and(|k| k.len() <= 2));
    let is_content = |i: usize| {
        let w = seg.norm(i);
        w.chars().count() > 1
            && !lang.stopwords.contains(w)
            && !w.chars().any(|c| c.is_ascii_digit())
    };
    let entity = name_words(
        &seg,
        text,
        is_content,
        |i| CALENDAR.contains(&seg.norm(i)),
        |i| stem(seg.norm(i)),
    );

    let mut raw = RawDoc::default();
    // Paragraphs: lines of the text.
    let mut line_start = 0;
    let mut tok = 0;
    for (li, line) in crate::lines(text).enumerate() {
        let line_end = line_start + line.len();
        let mut items = Vec::new();
        let mut date_iter = dates.iter().filter(|d| d.0 >= line_start && d.1 <= line_end);
        let mut next_date = date_iter.next();
        while tok < n && seg.tokens[tok].start < line_end {
            let t = &seg.tokens[tok];
            while let Some(d) = next_date {
                if d.0 <= t.start {
                    items.push(Item {
                        kind: Kind::Number,
                        key: d.2.clone(),
                        form: d.2.clone(),
                        sentence: t.sentence as u32,
                    });
                    next_date = date_iter.next();
                } else {
                    break;
                }
            }
            let w = seg.norm(tok);
            if w.chars().any(|c| c.is_ascii_digit()) {
                if !in_date[tok] {
                    if let Some(k) = number_key(w) {
                        items.push(Item {
                            kind: Kind::Number,
                            form: number_display(&k),
                            key: k,
                            sentence: t.sentence as u32,
                        });
                    }
                }
            } else if is_content(tok) {
                let kind = if entity[tok] { Kind::Entity } else { Kind::Word };
                items.push(Item {
                    kind,
                    key: stem(w),
                    form: w.to_string(),
                    sentence: t.sentence as u32,
                });
            }
            tok += 1;
        }
        let last_sentence = items.last().map_or(0, |i: &Item| i.sentence);
        for d in next_date.into_iter().chain(date_iter) {
            items.push(Item {
                kind: Kind::Number,
                key: d.2.clone(),
                form: d.2.clone(),
                sentence: last_sentence,
            });
        }
        let trimmed_start = line_start + (line.len() - line.trim_start().len());
        let trimmed_end = line_start + line.trim_end().len();
        if trimmed_end > trimmed_start {
            raw.paras.push(RawPara {
                start: trimmed_start,
                end: trimmed_end,
                line: doc.lines.get(li).copied().unwrap_or(0),
                items,
            });
        }
        line_start = line_end + 1;
    }

    // Entity runs and forms.
    let mut run: Vec<String> = Vec::new();
    let mut prev: Option<usize> = None;
    for i in 0..n {
        if !entity[i] {
            continue;
        }
        let s = stem(seg.norm(i));
        let written = bare_name(&text[seg.tokens[i].start..seg.tokens[i].end]).to_string();
        raw.entity_forms.push((s.clone(), written));
        let adjacent = prev.is_some_and(|p| same_name(&seg, text, p, i));
        if !adjacent && !run.is_empty() {
            raw.runs.push(std::mem::take(&mut run));
        }
        run.push(s);
        prev = Some(i);
    }
    if !run.is_empty() {
        raw.runs.push(run);
    }

    // Quotations.
    for q in quotes::find(text) {
        let keys: Vec<String> = (0..n)
            .filter(|&i| seg.tokens[i].start >= q.start && seg.tokens[i].end <= q.end)
            .filter_map(|i| {
                let w = seg.norm(i);
                if w.chars().any(|c| c.is_ascii_digit()) {
                    number_key(w)
                } else if is_content(i) {
                    Some(stem(w))
                } else {
                    None
                }
            })
            .collect();
        raw.quotes.push(RawQuote { keys });
    }
    raw
}

/// A string interner with ids in sorted order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocab {
    ids: HashMap<String, u32>,
    pub terms: Vec<String>,
}

impl Vocab {
    fn build(terms: BTreeSet<String>) -> Vocab {
        let terms: Vec<String> = terms.into_iter().collect();
        let ids = terms.iter().enumerate().map(|(i, t)| (t.clone(), i as u32)).collect();
        Vocab { ids, terms }
    }

    pub fn id(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }
}

/// The corpus after extraction: raw features, entity unification and vocabularies.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub raws: Vec<RawDoc>,
    /// Entity variant → canonical stem.
    pub canon: HashMap<String, String>,
    /// Words and entity words (canonical stems).
    pub words: Vocab,
    /// Number keys.
    pub numbers: Vocab,
}

impl Prepared {
    /// The canonical stem of a word or entity stem.
    pub fn canonical<'a>(&'a self, key: &'a str) -> &'a str {
        self.canon.get(key).map_or(key, String::as_str)
    }
}

/// Extracts every document (in parallel, results in corpus order) and builds the corpus-wide
/// unification and vocabularies.
pub(crate) fn prepare(corpus: &Corpus, lang: &Lang) -> Prepared {
    let raws: Vec<RawDoc> = corpus.documents.par_iter().map(|d| extract(d, lang)).collect();
    let mut counts = VocabCounts::default();
    for r in &raws {
        counts.add(r);
    }
    Prepared { raws, ..counts.finish() }
}

/// What the vocabularies are built from, summed over documents. Hash maps while counting;
/// everything that reaches the output is sorted in [`VocabCounts::finish`].
#[derive(Default)]
struct VocabCounts {
    /// Entity stem → occurrences.
    entity_counts: rustc_hash::FxHashMap<String, u32>,
    /// Word and entity stems (before unification), and stems of quotation words.
    words: rustc_hash::FxHashSet<String>,
    numbers: rustc_hash::FxHashSet<String>,
}

impl VocabCounts {
    fn add(&mut self, r: &RawDoc) {
        for (s, _) in &r.entity_forms {
            *crate::slot(&mut self.entity_counts, s) += 1;
        }
        let quote_words = r
            .quotes
            .iter()
            .flat_map(|q| &q.keys)
            .filter(|k| !k.chars().any(|c| c.is_ascii_digit()));
        for it in r.paras.iter().flat_map(|p| &p.items) {
            let set = if it.kind == Kind::Number { &mut self.numbers } else { &mut self.words };
            if !set.contains(&it.key) {
                set.insert(it.key.clone());
            }
        }
        for k in quote_words {
            if !self.words.contains(k) {
                self.words.insert(k.clone());
            }
        }
    }

    fn finish(self) -> Prepared {
        let entity_counts: BTreeMap<String, u32> = self.entity_counts.into_iter().collect();
        let canon = entities::unify(&entity_counts);
        let words =
            self.words.iter().map(|k| canon.get(k).unwrap_or(k).clone()).collect::<BTreeSet<_>>();
        let words = Vocab::build(words);
        let numbers = Vocab::build(self.numbers.into_iter().collect());
        Prepared { raws: Vec::new(), canon, words, numbers }
    }
}

/// A sparse vector: (term id, weight), sorted by id.
pub(crate) type Sparse = Vec<(u32, f32)>;

/// Scales a sparse vector to unit length (left empty when it has no weight).
pub(crate) fn normalise(v: &mut Sparse) {
    let norm: f32 = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in v.iter_mut() {
            *w /= norm;
        }
    }
}

/// Cosine of two unit-length sparse vectors (their dot product).
pub(crate) fn cosine(a: &Sparse, b: &Sparse) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += f64::from(a[i].1) * f64::from(b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    dot.clamp(0.0, 1.0)
}

/// Inverse document frequency, `ln((n + 1) / df)`: near zero for a term in every document,
/// never exactly zero, so that two-document corpora still compare.
pub(crate) fn idf(n: usize, df: u32) -> f32 {
    (((n + 1) as f64) / f64::from(df.max(1))).ln() as f32
}

/// A TF-IDF vector from term counts: sublinear term frequency `1 + ln(tf)` times `idf`,
/// L2-normalised.
/// `counts` are (term, count) in term order.
pub(crate) fn tfidf(counts: impl IntoIterator<Item = (u32, u32)>, idf: &[f32]) -> Sparse {
    let mut v: Sparse = counts
        .into_iter()
        .map(|(t, c)| (t, (1.0 + (c as f32).ln()) * idf[t as usize]))
        .filter(|(_, w)| *w > 0.0)
        .collect();
    normalise(&mut v);
    v
}

/// Number of shared values of two sorted, deduplicated lists.
pub(crate) fn shared_count<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stemming_folds_inflections() {
        for (a, b) in [
            ("declared", "declare"),
            ("declares", "declaring"),
            ("occupied", "occupy"),
            ("occupies", "occupying"),
            ("countries", "country"),
            ("talks", "talk"),
            ("meetings", "meet"),
            ("stopped", "stop"),
            ("killed", "kill"),
            ("forces", "force"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        assert_eq!(stem("crisis"), "crisis");
        assert_eq!(stem("caucasus"), "caucasus");
        assert_eq!(stem("un"), "un");
        assert_ne!(stem("war"), stem("ward"));
    }

    #[test]
    fn numbers_are_normalised() {
        assert_eq!(number_key("30,000").as_deref(), Some("30000"));
        assert_eq!(number_key("376").as_deref(), Some("376"));
        assert_eq!(number_key("1990s").as_deref(), Some("1990s"));
        assert_eq!(number_key("7"), None);
        assert_eq!(number_key("00"), None);
        assert_eq!(number_display("30000"), "30,000");
        assert_eq!(number_display("1988"), "1988");
        assert_eq!(number_display("1250000"), "1,250,000");
    }

    #[test]
    fn dates_become_month_day_keys() {
        let keys: Vec<String> =
            month_days("erupted on September 27, and since Sept. 27 and on 27 September 2020")
                .into_iter()
                .map(|d| d.2)
                .collect();
        assert_eq!(keys, vec!["Sep 27", "Sep 27", "Sep 27"]);
    }

    fn doc(text: &str) -> Document {
        Document {
            id: "t".into(),
            path: "t".into(),
            outlet: "x".into(),
            date: None,
            title: None,
            url: None,
            meta: BTreeMap::new(),
            text: text.into(),
            lines: (1..=text.split('\n').count() as u32).collect(),
            removed: Vec::new(),
            words: 0,
        }
    }

    /// The keys of a document's items of one kind, in text order.
    fn keys(r: &RawDoc, kind: Kind) -> Vec<&str> {
        r.paras
            .iter()
            .flat_map(|p| &p.items)
            .filter(|i| i.kind == kind)
            .map(|i| i.key.as_str())
            .collect()
    }

    #[test]
    fn numbers_dates_and_entities_are_extracted() {
        let r = extract(
            &doc("Clashes erupted on September 27 and killed 376 soldiers, said Zohrab Mnatsakanyan.\nThe war killed about 30,000 people. Mnatsakanyan left."),
            Lang::english(),
        );
        let numbers = keys(&r, Kind::Number);
        assert_eq!(numbers, vec!["Sep 27", "376", "30000"]);
        let ents = keys(&r, Kind::Entity);
        // "Clashes" and "The" start sentences; sentence-initial "Mnatsakanyan" recurs as a name.
        assert_eq!(ents, vec!["zohrab", "mnatsakanyan", "mnatsakanyan"]);
        assert_eq!(
            r.runs,
            vec![
                vec!["zohrab".to_string(), "mnatsakanyan".to_string()],
                vec!["mnatsakanyan".to_string()]
            ]
        );
        assert_eq!(r.paras[1].line, 2);
        let r = extract(
            &doc("Mariya Zakharova, the spokeswoman, spoke. Today Zakharova left."),
            Lang::english(),
        );
        let ents = keys(&r, Kind::Entity);
        assert_eq!(ents, vec!["mariya", "zakharova", "zakharova"]);
    }

    #[test]
    fn quotes_keep_their_content_words() {
        let r = extract(
            &doc(
                "He said \"we continue to make vigorous efforts in our national capacity\" today.",
            ),
            Lang::english(),
        );
        assert_eq!(r.quotes.len(), 1);
        assert_eq!(
            r.quotes[0].keys,
            vec!["continu", "make", "vigorous", "effort", "national", "capacity"]
        );
    }

    #[test]
    fn cosine_of_unit_vectors() {
        let idf = vec![1.0f32, 2.0, 0.5];
        let a = tfidf([(0, 1), (1, 1)], &idf);
        let b = tfidf([(1, 1), (2, 3)], &idf);
        let norm: f32 = a.iter().map(|x| x.1 * x.1).sum();
        assert!((norm - 1.0).abs() < 1e-6);
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-6);
        let expected =
            (2.0 / 5f64.sqrt()) * (2.0 / (4.0 + (0.5 * (1.0 + 3f64.ln())).powi(2)).sqrt());
        assert!((cosine(&a, &b) - expected).abs() < 1e-5, "{} vs {expected}", cosine(&a, &b));
        assert_eq!(cosine(&a, &Vec::new()), 0.0);
    }
}
