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
    let start = out.len();
    if word.is_ascii() {
        out.push_str(word);
        out[start..].make_ascii_lowercase();
    } else {
        for c in caseless::default_case_fold_str(word).chars() {
            out.push(match c {
                '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}' => '\'',
                c => c,
            });
        }
    }
    // Only words ending in one of these bytes can change below.
    if !matches!(out.as_bytes().last(), Some(b's' | b'n' | b'g' | b'd' | b'e' | b'\'')) {
        return;
    }
    british_z(out, start);
    if out[start..].ends_with("'s") && out.len() - start > 2 {
        out.truncate(out.len() - 2);
    } else if out[start..].ends_with('\'') && out.len() - start > 1 {
        out.truncate(out.len() - 1);
    }
}

/// British "-ise" spellings fold to "-ize" ("recognised" = "recognized"), in terms and text
/// alike, so either spelling of a lexicon term matches both.
fn british_z(out: &mut String, start: usize) {
    const ENDINGS: &[&str] = &["isations", "isation", "ising", "ised", "ises", "ise"];
    let word = &out[start..];
    if !word.is_ascii() {
        return;
    }
    for e in ENDINGS {
        if word.len() >= e.len() + 4 && word.ends_with(e) {
            let at = out.len() - e.len() + 1;
            out.replace_range(at..at + 1, "z");
            return;
        }
    }
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
    // News prose averages about six bytes per word and 150 per sentence: room for most
    // documents without regrowing.
    let mut seg = Segmented {
        tokens: Vec::with_capacity(text.len() / 6),
        sentences: Vec::with_capacity(text.len() / 150 + 1),
        folded: String::with_capacity(text.len() + 64),
    };
    let mut line_start = 0;
    for (paragraph, line) in crate::lines(text).enumerate() {
        for (s_start, s_end) in sentence_spans(line, lang) {
            let sentence = seg.sentences.len();
            let first = seg.tokens.len();
            let piece = &line[s_start..s_end];
            for (off, w) in super::fast::word_indices(piece) {
                seg.folded.push(' ');
                let fstart = seg.folded.len();
                fold(w, &mut seg.folded);
                let fend = seg.folded.len();
                if fend == fstart {
                    seg.folded.pop();
                    continue;
                }
                let start = line_start + s_start + off;
                seg.tokens.push(Token {
                    start,
                    end: start + w.len(),
                    fstart,
                    fend,
                    sentence,
                    capitalized: match w.as_bytes()[0] {
                        b if b.is_ascii() => b.is_ascii_uppercase(),
                        _ => w.chars().next().is_some_and(char::is_uppercase),
                    },
                });
            }
            seg.folded.push('\n');
            seg.sentences.push(Sentence {
                start: line_start + s_start,
                end: line_start + s_end,
                paragraph,
                tokens: first..seg.tokens.len(),
            });
        }
        line_start += line.len() + 1;
    }
    seg
}

/// Sentence spans of one line: UAX #29 sentences, re-joined where a break follows a known
/// abbreviation ("Oct. 29", "Mr. Lavrov") and the next piece does not start a new sentence.
fn sentence_spans(line: &str, lang: &Lang) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (off, s) in super::fast::sentence_bound_indices(line) {
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
    spans
}

fn joins(prev: &str, next: &str, lang: &Lang) -> bool {
    let Some(body) = prev.strip_suffix('.') else { return false };
    let last_word =
        body.rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"').next().unwrap_or("");
    let folded = last_word.to_lowercase();
    if !lang.abbreviations.contains(&folded) {
        // Single capital initials ("Ilham H. Aliyev") also do not end sentences.
        return last_word.chars().count() == 1
            && last_word.chars().all(char::is_uppercase)
            && next.chars().next().is_some_and(char::is_uppercase);
    }
    let first = next.chars().next().unwrap_or(' ');
    // "U.S." and "etc." often end sentences; titles and months never do.
    let can_end = matches!(folded.as_str(), "u.s" | "u.n" | "u.k" | "etc" | "inc" | "ltd" | "co");
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
}
