//! Word and sentence segmentation with Unicode rules (UAX #29: unicode-segmentation, with
//! the ASCII fast path of [`super::fast`]),
//! plus case folding. Consumes text; produces [`Token`]s and [`Sentence`]s that keep byte
//! offsets into the text, and a folded string in which each sentence is a line of
//! space-separated words (the matcher searches that string). Each line of the text is a
//! paragraph; sentences never cross lines.

use super::lang::Lang;

/// A word of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the word in the text.
    pub start: usize,
    /// End byte offset in the text.
    pub end: usize,
    /// Byte offset of the folded form in [`Segmented::folded`].
    pub fstart: usize,
    /// End of the folded form.
    pub fend: usize,
    /// Index of its sentence.
    pub sentence: usize,
    /// Whether the word starts with an upper-case letter in the text.
    pub capitalized: bool,
}

/// A sentence of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte offset in the text.
    pub start: usize,
    /// End byte offset (trailing whitespace excluded).
    pub end: usize,
    /// Index of its paragraph (line of the text).
    pub paragraph: usize,
    /// Its tokens, as a range of token indices.
    pub tokens: std::ops::Range<usize>,
}

/// Tokens, sentences and the folded text.
#[derive(Debug, Clone, Default)]
pub struct Segmented {
    /// Words, in text order.
    pub tokens: Vec<Token>,
    /// Sentences, in text order.
    pub sentences: Vec<Sentence>,
    /// Folded words: each sentence is ` w1 w2 w3` followed by `\n`.
    pub folded: String,
}

impl Segmented {
    /// The folded form of token `i`.
    pub fn norm(&self, i: usize) -> &str {
        let t = &self.tokens[i];
        &self.folded[t.fstart..t.fend]
    }
}

/// Folds a word for matching: full Unicode case folding, typographic apostrophes made
/// plain, and a possessive `'s` (or a bare trailing apostrophe) dropped, so that
/// "Armenia’s" matches the term "Armenia".
pub fn fold(word: &str, out: &mut String) {
    let mut bytes = Vec::with_capacity(word.len());
    fold_into(word, &mut bytes);
    // Folding keeps UTF-8 valid (see `fold_into`), so this never replaces anything.
    out.push_str(&String::from_utf8_lossy(&bytes));
}

/// [`fold`], appending UTF-8 bytes to `out`. Segmentation folds every word of the text into
/// one buffer this way. The ending rules only ever cut the word before an ASCII byte or
/// swap one ASCII letter, so valid UTF-8 stays valid.
fn fold_into(word: &str, out: &mut Vec<u8>) {
    let start = out.len();
    if word.is_ascii() {
        // Room for the eight-byte stores of `fold_ascii`.
        out.resize(start + word.len() + 8, 0);
        let len = fold_ascii(word.as_bytes(), word.len(), &mut out[start..]);
        out.truncate(start + len);
        return;
    }
    let mut buf = [0; 4];
    for c in caseless::default_case_fold_str(word).chars() {
        let c = match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}' => '\'',
            c => c,
        };
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
    let word = &mut out[start..];
    let (len, z) = endings(word, word.is_ascii());
    if let Some(at) = z {
        word[at] = b'z';
    }
    out.truncate(start + len);
}

/// [`fold_into`] for the ASCII word of `len` bytes at the start of `from`, into `to`: lower
/// case eight bytes at a time, then the endings; returns the folded length. The bytes of
/// `from` after the word are read, and `to` is written up to eight bytes past the word
/// (`to` must have room for `len` rounded up to eight), so that short words take one load and
/// one store.
#[inline(always)]
fn fold_ascii(from: &[u8], len: usize, to: &mut [u8]) -> usize {
    use super::fast::swar;
    let mut i = 0;
    while i < len {
        to[i..i + 8].copy_from_slice(&swar::lower(swar::load(from, i)).to_le_bytes());
        i += 8;
    }
    // The endings are read from `from`: a byte of `to` read right after the eight-byte store
    // that holds it waits for the store.
    let (len, z) = endings(&from[..len], true);
    if let Some(at) = z {
        to[at] = b'z';
    }
    len
}

/// The ending rules of folding, for a word in either case: its length without a possessive
/// `'s` or a bare trailing apostrophe, and, when it has neither and is `ascii`, where an
/// "-ise" ending's `s` becomes `z` ([`british_z`]).
#[inline(always)]
fn endings(word: &[u8], ascii: bool) -> (usize, Option<usize>) {
    match possessive_cut(word) {
        Some(len) => (len, None),
        None => (word.len(), if ascii { british_z(word) } else { None }),
    }
}

/// Whether `b` is the lower-case ASCII letter `lower`, in either case.
#[inline(always)]
fn is_letter(b: u8, lower: u8) -> bool {
    b | 0x20 == lower
}

/// The length of `word` without a possessive `'s` or a bare trailing apostrophe; `None` if
/// it has neither. Letters match in either case.
#[inline(always)]
fn possessive_cut(word: &[u8]) -> Option<usize> {
    match word {
        [_, .., b'\'', s] if is_letter(*s, b's') => Some(word.len() - 2),
        [_, .., b'\''] => Some(word.len() - 1),
        _ => None,
    }
}

/// British "-ise" spellings fold to "-ize" ("recognised" = "recognized"), in terms and text
/// alike, so either spelling of a lexicon term matches both: where the `s` to make `z` is
/// in the ASCII `word`, if it has such an ending. Letters match in either case.
#[inline(always)]
fn british_z(word: &[u8]) -> Option<usize> {
    let n = word.len();
    // Every ending starts "is", 3, 4, 5, 7 or 8 bytes from the end, after at least four
    // bytes: rule most words out on that before comparing endings.
    let is_at =
        |k: usize| n >= k + 4 && is_letter(word[n - k], b'i') && is_letter(word[n - k + 1], b's');
    if !(is_at(3) || is_at(4) || is_at(5) || is_at(7) || is_at(8)) {
        return None;
    }
    british_z_ending(word)
}

/// The ending test of [`british_z`], for the few words its quick test lets through: kept
/// out of line so that the quick test inlines into the segmentation loop.
#[inline(never)]
fn british_z_ending(word: &[u8]) -> Option<usize> {
    const ENDINGS: &[&[u8]] = &[b"isations", b"isation", b"ising", b"ised", b"ises", b"ise"];
    let n = word.len();
    let e =
        ENDINGS.iter().find(|e| n >= e.len() + 4 && word[n - e.len()..].eq_ignore_ascii_case(e))?;
    Some(n - e.len() + 1)
}

/// Folds a whole phrase into its words, as the text is folded.
pub fn fold_words(phrase: &str) -> Vec<String> {
    super::fast::word_indices(phrase)
        .map(|(_, w)| {
            let mut s = String::new();
            fold(w, &mut s);
            s
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// Segments `text` into words and sentences.
pub fn segment(text: &str, lang: &Lang) -> Segmented {
    let mut seg = Segmented::default();
    segment_into(text, lang, &mut seg);
    seg
}

/// [`segment`] into `seg`, replacing what it held but keeping its memory: a caller that
/// segments document after document reuses one set of buffers instead of allocating three
/// large ones per document.
pub fn segment_into(text: &str, lang: &Lang, seg: &mut Segmented) {
    // News prose averages about six bytes per word and 150 per sentence: room for most
    // documents without regrowing.
    let Segmented { tokens, sentences, folded } = seg;
    let mut folded = std::mem::take(folded).into_bytes();
    tokens.clear();
    sentences.clear();
    folded.clear();
    tokens.reserve(text.len() / 6);
    sentences.reserve(text.len() / 150 + 1);
    folded.reserve(text.len() + 64);
    let mut line_start = 0;
    // One buffer each for every line's sentence bounds and spans, with room for the
    // sentences of most paragraphs.
    let (mut bounds, mut spans) = (Vec::with_capacity(32), Vec::with_capacity(32));
    let all_ascii = super::fast::is_ascii(text.as_bytes());
    for (paragraph, line) in crate::lines(text).enumerate() {
        let line_ascii = all_ascii || super::fast::is_ascii(line.as_bytes());
        sentence_spans(line, line_ascii, lang, &mut bounds, &mut spans);
        // Asked of the line once: its sentences are then plain too.
        let line_plain = super::fast::is_plain(line, line_ascii);
        for &(s_start, s_end) in &spans {
            let sentence = sentences.len();
            let first = tokens.len();
            let piece = &line[s_start..s_end];
            let ascii = line_ascii || super::fast::is_ascii(piece.as_bytes());
            let base = line_start + s_start;
            if line_plain || super::fast::is_plain(piece, ascii) {
                add_plain_words(piece.as_bytes(), base, sentence, tokens, &mut folded);
            } else {
                for (off, w) in super::fast::word_indices_of(piece, ascii) {
                    folded.push(b' ');
                    let fstart = folded.len();
                    fold_into(w, &mut folded);
                    let fend = folded.len();
                    if fend == fstart {
                        folded.pop();
                        continue;
                    }
                    let capitalized = match w.as_bytes()[0] {
                        b if b.is_ascii() => b.is_ascii_uppercase(),
                        _ => w.chars().next().is_some_and(char::is_uppercase),
                    };
                    let (start, end) = (base + off, base + off + w.len());
                    tokens.push(Token { start, end, fstart, fend, sentence, capitalized });
                }
            }
            folded.push(b'\n');
            sentences.push(Sentence {
                start: line_start + s_start,
                end: line_start + s_end,
                paragraph,
                tokens: first..tokens.len(),
            });
        }
        line_start += line.len() + 1;
    }
    // Valid UTF-8: whole folded words and ASCII separators (see `fold_into`).
    seg.folded = String::from_utf8(folded)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

/// Folds and adds the words of a plain sentence `piece` (ASCII but for typographic
/// punctuation, without `_`; see [`super::fast::is_plain`]) at byte `base` of the text:
/// [`segment_into`]'s loop for most sentences, which writes the folded words into room made
/// once for the whole piece.
fn add_plain_words(
    piece: &[u8],
    base: usize,
    sentence: usize,
    tokens: &mut Vec<Token>,
    folded: &mut Vec<u8>,
) {
    let mut at = folded.len();
    // A word folds to at most its length plus the space before it, and words are apart in
    // the piece: the piece's length and one more, and seven past the end for the last
    // eight-byte store of `fold_ascii`.
    folded.resize(at + piece.len() + 8, 0);
    let mut next = 0;
    while let Some((off, end)) = super::fast::next_plain_word(piece, next) {
        next = end;
        folded[at] = b' ';
        let fstart = at + 1;
        // Words of letters and digits never fold to nothing.
        let fend = fstart + fold_ascii(&piece[off..], end - off, &mut folded[fstart..]);
        at = fend;
        let capitalized = piece[off].is_ascii_uppercase();
        let (start, end) = (base + off, base + end);
        tokens.push(Token { start, end, fstart, fend, sentence, capitalized });
    }
    folded.truncate(at);
}

/// Sentence spans of one line, into `spans`: UAX #29 sentences (`bounds` is scratch space),
/// re-joined where a break follows a known abbreviation ("Oct. 29", "Mr. Lavrov") and the
/// next piece does not start a new sentence.
fn sentence_spans<'a>(
    line: &'a str,
    ascii: bool,
    lang: &Lang,
    bounds: &mut Vec<(usize, &'a str)>,
    spans: &mut Vec<(usize, usize)>,
) {
    bounds.clear();
    spans.clear();
    super::fast::sentence_bounds_of(line, ascii, bounds);
    for &(off, s) in bounds.iter() {
        let trimmed = s.trim_end();
        if trimmed.trim_start().is_empty() {
            continue;
        }
        let lead = s.len() - s.trim_start().len();
        let (start, end) = (off + lead, off + trimmed.len());
        if let Some(last) = spans.last_mut() {
            if joins(&line[last.0..last.1], &line[start..end], lang) {
                last.1 = end;
                continue;
            }
        }
        spans.push((start, end));
    }
}

fn joins(prev: &str, next: &str, lang: &Lang) -> bool {
    let Some(body) = prev.strip_suffix('.') else { return false };
    let last_word =
        body.rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"').next().unwrap_or("");
    // Every sentence that ends in a full stop asks: most such words are lower case already.
    let folded = crate::lowercase(last_word);
    if !lang.abbreviations.contains(&folded) {
        // Single capital initials ("Ilham H. Aliyev") also do not end sentences.
        return last_word.chars().count() == 1
            && last_word.chars().all(char::is_uppercase)
            && next.chars().next().is_some_and(char::is_uppercase);
    }
    let first = next.chars().next().unwrap_or(' ');
    // "U.S." and "etc." often end sentences; titles and months never do.
    let can_end = matches!(&*folded, "u.s" | "u.n" | "u.k" | "etc" | "inc" | "ltd" | "co");
    !can_end || first.is_lowercase() || first.is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &Segmented) -> Vec<&str> {
        (0..s.tokens.len()).map(|i| s.norm(i)).collect()
    }

    #[test]
    fn words_are_folded_and_possessives_dropped() {
        let s = segment(
            "Armenia’s Nagorno-Karabakh U.S.-led STRASSE Straße recognised rise",
            Lang::english(),
        );
        assert_eq!(
            words(&s),
            vec![
                "armenia",
                "nagorno",
                "karabakh",
                "u.s",
                "led",
                "strasse",
                "strasse",
                "recognized",
                "rise"
            ]
        );
        assert_eq!(&"Armenia’s Nagorno"[s.tokens[0].start..s.tokens[0].end], "Armenia’s");
        assert!(s.tokens[0].capitalized);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let text = "Zakharova said on Oct. 29, Trend reports. The talks failed.\nMr. Lavrov spoke. He left the U.S. The end.";
        let s = segment(text, Lang::english());
        let got: Vec<&str> = s.sentences.iter().map(|x| &text[x.start..x.end]).collect();
        assert_eq!(
            got,
            vec![
                "Zakharova said on Oct. 29, Trend reports.",
                "The talks failed.",
                "Mr. Lavrov spoke.",
                "He left the U.S.",
                "The end.",
            ]
        );
        assert_eq!(s.sentences[2].paragraph, 1);
    }

    #[test]
    fn folded_text_has_one_line_per_sentence() {
        let s = segment("One two. Three.", Lang::english());
        assert_eq!(s.folded, " one two\n three\n");
    }

    /// The folding rules written plainly, one step after another, as the reference.
    fn fold_reference(word: &str) -> String {
        let mut w: String = caseless::default_case_fold_str(word)
            .chars()
            .map(|c| {
                if matches!(c, '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}') {
                    '\''
                } else {
                    c
                }
            })
            .collect();
        if w.is_ascii() {
            for e in ["isations", "isation", "ising", "ised", "ises", "ise"] {
                if w.len() >= e.len() + 4 && w.ends_with(e) {
                    let at = w.len() - e.len() + 1;
                    w.replace_range(at..at + 1, "z");
                    break;
                }
            }
        }
        if w.ends_with("'s") && w.len() > 2 {
            w.truncate(w.len() - 2);
        } else if w.ends_with('\'') && w.len() > 1 {
            w.truncate(w.len() - 1);
        }
        w
    }

    fn word_soup() -> impl proptest::strategy::Strategy<Value = String> {
        let pieces = [
            "a", "R", "is", "IS", "e", "d", "s", "ation", "ations", "ing", "'", "’", "'s", "ß",
            "É", "ﬁ", "Σ", "x", "recogn", "Organ", "9",
        ];
        proptest::collection::vec(proptest::sample::select(pieces.to_vec()), 0..8)
            .prop_map(|v| v.concat())
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn fold_equals_the_plain_rules(w in word_soup()) {
            let mut got = String::new();
            fold(&w, &mut got);
            prop_assert_eq!(got, fold_reference(&w));
        }

        /// The folded text of a whole sentence (the eight-byte path for ASCII) holds each word
        /// folded alone.
        #[test]
        fn folded_text_holds_each_word_folded(words in proptest::collection::vec(word_soup(), 0..12), sep in "[ ,.:;'-]{1,2}") {
            let text = words.join(&sep);
            let seg = segment(&text, Lang::english());
            let mut want = Vec::new();
            for t in &seg.tokens {
                let mut f = String::new();
                fold(&text[t.start..t.end], &mut f);
                want.push(f);
            }
            prop_assert_eq!(super::tests::words(&seg), want);
        }
    }
}
