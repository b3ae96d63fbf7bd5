//! Quote spans: finds direct quotations delimited by straight or curly double quotes,
//! guillemets (« »), or low-high quotes („ “), including quotations that run over several
//! paragraphs (each new paragraph reopening the quote, the English convention). Consumes
//! text; produces byte spans. Single quotes are not used: they are too often apostrophes.

/// A quotation in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteSpan {
    /// Byte offset of the opening mark.
    pub start: usize,
    /// Byte offset just after the closing mark (or the paragraph end when never closed).
    pub end: usize,
    /// Whether a closing mark was found.
    pub closed: bool,
}

fn is_open_context(prev: Option<char>) -> bool {
    prev.is_none_or(|p| {
        p.is_whitespace() || matches!(p, '(' | '[' | '{' | '—' | '–' | '-' | ':' | '/')
    })
}

/// Reads the quote mark `c` at byte `i`, between `prev` and `next`: opens a quote, closes the
/// `open` one (the closed span is returned), or does nothing.
fn step(
    open: &mut Option<(usize, char)>,
    i: usize,
    c: char,
    prev: Option<char>,
    next: Option<char>,
) -> Option<QuoteSpan> {
    let prev_is_word = prev.is_some_and(|p| !p.is_whitespace());
    let next_opens_text = next.is_some_and(|n| !n.is_whitespace());
    let closes = match (*open, c) {
        (None, '«' | '„' | '“') => {
            *open = Some((i, c));
            false
        }
        (None, '"' | '”') if is_open_context(prev) && next_opens_text => {
            *open = Some((i, c));
            false
        }
        (Some(_), '»') => true,
        // „ … “ (German) closes with “; in English “ reopens and is ignored.
        (Some((_, mark)), '“') => mark == '„' || (prev_is_word && !next_opens_text),
        (Some(_), '"' | '”') => prev_is_word || !next_opens_text,
        _ => false,
    };
    let (start, _) = open.filter(|_| closes)?;
    *open = None;
    Some(QuoteSpan { start, end: i + c.len_utf8(), closed: true })
}

/// Marks that may open a quote, or continue an open one at a paragraph's start.
fn opens(c: char) -> bool {
    matches!(c, '"' | '“' | '«' | '„' | '”')
}

/// The newlines and quote marks of `text`, with their byte offsets. Found with memchr on
/// bytes: `\n`, `"` and the lead bytes of the other marks (0xE2 for “ ” „, 0xC2 for « »),
/// each candidate then read as a character.
fn marks(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let b = text.as_bytes();
    let mut common = memchr::memchr3_iter(b'\n', b'"', 0xE2, b).peekable();
    let mut guillemets = memchr::memchr_iter(0xC2, b).peekable();
    std::iter::from_fn(move || loop {
        let i = match (common.peek(), guillemets.peek()) {
            (Some(&a), Some(&g)) if g < a => guillemets.next(),
            (Some(_), _) => common.next(),
            (None, _) => guillemets.next(),
        }?;
        let c = text[i..].chars().next()?;
        if matches!(c, '\n' | '"' | '“' | '”' | '«' | '»' | '„') {
            return Some((i, c));
        }
    })
}

/// Finds the quote spans of `text`, in order. Only newlines and quote marks are visited,
/// so the cost is one scan for those characters, not a step per character.
pub fn find(text: &str) -> Vec<QuoteSpan> {
    let mut spans = Vec::new();
    // (start, opening mark) of the quote being read.
    let mut open: Option<(usize, char)> = None;
    // A mark that continues an open quote at a new paragraph's start: not a quote mark.
    let mut continuation = usize::MAX;
    for (i, c) in marks(text) {
        if c == '\n' {
            // The first character of the next paragraph decides whether an open quote
            // runs on; a blank line in between is met again as a newline of its own.
            let rest = &text[i + 1..];
            let Some((j, d)) = rest.char_indices().find(|&(_, d)| !d.is_whitespace() || d == '\n')
            else {
                continue;
            };
            if d == '\n' {
                continue;
            }
            if let Some((start, _)) = open {
                if opens(d) {
                    continuation = i + 1 + j;
                } else {
                    spans.push(QuoteSpan { start, end: i, closed: false });
                    open = None;
                }
            }
            continue;
        }
        if i == continuation {
            continue;
        }
        let prev = text[..i].chars().next_back();
        let next = text[i + c.len_utf8()..].chars().next();
        spans.extend(step(&mut open, i, c, prev, next));
    }
    if let Some((start, _)) = open {
        let end = text.trim_end().len().max(start);
        spans.push(QuoteSpan { start, end, closed: false });
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> Vec<&str> {
        find(text).iter().map(|s| &text[s.start..s.end]).collect()
    }

    use proptest::prelude::*;

    /// The straightforward version: a step per character (the same [`step`] for each mark).
    fn reference(text: &str) -> Vec<QuoteSpan> {
        let mut spans = Vec::new();
        // (start, opening mark) of the quote being read.
        let mut open: Option<(usize, char)> = None;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut para_start = true;
        let mut last_para_end = 0;
        for (k, &(i, c)) in chars.iter().enumerate() {
            let prev = if k == 0 { None } else { Some(chars[k - 1].1) };
            let next = chars.get(k + 1).map(|x| x.1);
            if c == '\n' {
                para_start = true;
                last_para_end = i;
                continue;
            }
            if para_start && !c.is_whitespace() {
                para_start = false;
                if let Some((start, _)) = open {
                    if opens(c) {
                        // The quote continues into this paragraph.
                        continue;
                    }
                    spans.push(QuoteSpan { start, end: last_para_end, closed: false });
                    open = None;
                }
            }
            spans.extend(step(&mut open, i, c, prev, next));
        }
        if let Some((start, _)) = open {
            let end = text.trim_end().len().max(start);
            spans.push(QuoteSpan { start, end, closed: false });
        }
        spans
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn equals_the_reference(v in proptest::collection::vec(prop::sample::select(vec![
            "a", "b ", " ", "\n", "\n\n", " \n", "\"", "“", "”", "«", "»", "„", "(", ":", "—", "x.",
            "\t", "é", "’", "©", "\u{A0}", "…",
        ]), 0..30)) {
            let t = v.concat();
            prop_assert_eq!(find(&t), reference(&t));
        }
    }

    #[test]
    fn marks_of_every_kind() {
        let t = r#"He said "yes, now" and “no” and «peut-être» and „ja“ today."#;
        assert_eq!(quoted(t), vec!["\"yes, now\"", "“no”", "«peut-être»", "„ja“"]);
    }

    #[test]
    fn mixed_straight_open_curly_close() {
        let t = "\"As it’s known, talks were held,” the spokesperson noted.";
        assert_eq!(quoted(t), vec!["\"As it’s known, talks were held,”"]);
    }

    #[test]
    fn quote_over_two_paragraphs() {
        let t = "“We note progress.\n\n“We are talking about aid,” she said.\nOwn words.";
        let spans = find(t);
        assert_eq!(spans.len(), 1);
        assert_eq!(
            &t[spans[0].start..spans[0].end],
            "“We note progress.\n\n“We are talking about aid,”"
        );
    }

    #[test]
    fn unclosed_quote_ends_with_its_paragraph() {
        let t = "He said \"this never closes.\nNext paragraph is own voice.";
        let spans = find(t);
        assert_eq!(spans, vec![QuoteSpan { start: 8, end: 27, closed: false }]);
    }

    #[test]
    fn inch_marks_and_apostrophes_are_not_quotes() {
        assert!(find("a 12\" gun and it's fine").is_empty());
    }
}
