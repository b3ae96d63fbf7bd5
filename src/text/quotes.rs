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

/// Finds the quote spans of `text`, in order.
pub fn find(text: &str) -> Vec<QuoteSpan> {
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
            if let Some((start, mark)) = open {
                if matches!(c, '"' | '“' | '«' | '„' | '”') {
                    // The quote continues into this paragraph.
                    continue;
                }
                spans.push(QuoteSpan { start, end: last_para_end, closed: false });
                let _ = mark;
                open = None;
            }
        }
        let prev_is_word = prev.is_some_and(|p| !p.is_whitespace());
        let next_opens_text = next.is_some_and(|n| !n.is_whitespace());
        match (open, c) {
            (None, '«' | '„') => open = Some((i, c)),
            (None, '“') => open = Some((i, c)),
            (None, '"' | '”') if is_open_context(prev) && next_opens_text => open = Some((i, c)),
            (Some((start, _)), '»') => {
                spans.push(QuoteSpan { start, end: i + c.len_utf8(), closed: true });
                open = None;
            }
            (Some((start, mark)), '"' | '”' | '“') => {
                let closes = match c {
                    // „ … “ (German) closes with “; in English “ reopens and is ignored.
                    '“' => mark == '„' || (prev_is_word && !next_opens_text),
                    _ => prev_is_word || !next_opens_text,
                };
                if closes {
                    spans.push(QuoteSpan { start, end: i + c.len_utf8(), closed: true });
                    open = None;
                }
            }
            _ => {}
        }
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
