//! Stage 2, text: segments a document into words and sentences (Unicode rules), folds case,
//! and gives each word a [`Voice`]: the outlet's own words, a direct quotation, or reported
//! speech, with the speaker where one is named. Consumes a document's cleaned text; produces
//! an [`Analysis`] whose tokens keep byte offsets, so every later hit can be shown in context.
//!
//! Voice rules, in order: words inside a quotation are `quoted`; the words of an attribution
//! ("Zakharova said", "according to the ministry") are the outlet's `own`; in a sentence with
//! an attribution and no quotation, the other words are `reported`; in a sentence with both,
//! the clause after "said that …" is `reported` and the rest `own`. A quotation's speaker is
//! the attribution just after it or just before it in the same or next sentence. Pronoun
//! speakers ("she said") resolve to the last named speaker. The document's own outlet is
//! never a speaker ("…, Trend reports." stays `own`).

pub mod fast;
pub mod lang;
pub mod quotes;
pub mod segment;
pub mod speech;

pub use lang::Lang;
pub use quotes::QuoteSpan;
pub use segment::{fold, fold_words, segment, segment_into, Segmented, Sentence, Token};

use serde::Serialize;

/// Whose words a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VoiceKind {
    /// The outlet's own words.
    Own,
    /// Inside a direct quotation.
    Quoted,
    /// Reported (indirect) speech: "X said that …", "according to X, …".
    Reported,
}

impl VoiceKind {
    /// All kinds, in display order.
    pub const ALL: [VoiceKind; 3] = [VoiceKind::Own, VoiceKind::Quoted, VoiceKind::Reported];

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            VoiceKind::Own => "own",
            VoiceKind::Quoted => "quoted",
            VoiceKind::Reported => "reported",
        }
    }
}

/// A token's voice: its kind and, where named, the speaker (index into
/// [`Analysis::speakers`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voice {
    /// Own, quoted or reported.
    pub kind: VoiceKind,
    /// Speaker index, if known.
    pub speaker: Option<u32>,
}

/// A segmented document with voices.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Tokens, sentences and folded text.
    pub seg: Segmented,
    /// Voice of each token.
    pub voices: Vec<Voice>,
    /// Speaker names, as written (pronouns resolved).
    pub speakers: Vec<String>,
    /// Quotations found.
    pub quotes: Vec<QuoteSpan>,
}

impl Analysis {
    /// The speaker name of token `i`, if any.
    pub fn speaker(&self, i: usize) -> Option<&str> {
        self.voices[i].speaker.map(|s| self.speakers[s as usize].as_str())
    }
}

const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i"];

/// Analyses `text`. `self_names` are the document's outlet name and aliases, which are never
/// taken as a speaker.
pub fn analyse(text: &str, lang: &Lang, self_names: &[String]) -> Analysis {
    let seg = segment(text, lang);
    let quotes = quotes::find(text);
    let n = seg.tokens.len();
    let (quoted, quote_of) = mark_quoted(&seg, &quotes);
    let self_folded = fold_names(self_names);
    let (atts, self_atts): (Vec<speech::Attribution>, Vec<speech::Attribution>) =
        speech::attributions(text, &seg, &quoted, lang)
            .into_iter()
            .partition(|a| !is_self(a, &seg, &self_folded));

    // Speaker names, with pronouns resolved to the last named speaker before them.
    let mut speakers: Vec<String> = Vec::new();
    let mut att_speaker: Vec<u32> = Vec::with_capacity(atts.len());
    let mut last_named: Option<u32> = None;
    for a in &atts {
        let first = seg.norm(a.speaker.start);
        let name = if a.speaker.len() == 1 && PRONOUNS.contains(&first) {
            match last_named {
                Some(s) => {
                    att_speaker.push(s);
                    continue;
                }
                None => text[seg.tokens[a.speaker.start].start..seg.tokens[a.speaker.end - 1].end]
                    .to_string(),
            }
        } else {
            speaker_name(text, &seg, a.speaker.clone())
        };
        let idx = match speakers.iter().position(|s| *s == name) {
            Some(i) => i as u32,
            None => {
                speakers.push(name);
                (speakers.len() - 1) as u32
            }
        };
        if seg.tokens[a.speaker.end - 1].capitalized {
            last_named = Some(idx);
        }
        att_speaker.push(idx);
    }

    let mut voices = vec![Voice { kind: VoiceKind::Own, speaker: None }; n];
    // Quotations: speaker from the nearest attribution after the close or before the open.
    // Tokens of a quotation are contiguous: find each quotation's first and last token.
    let mut span: Vec<Option<(usize, usize)>> = vec![None; quotes.len()];
    for (i, &q) in quote_of.iter().enumerate() {
        if q != usize::MAX {
            let e = span[q].get_or_insert((i, i));
            e.1 = i;
        }
    }
    for (qi, sp) in span.iter().enumerate() {
        let Some((first_tok, last_tok)) = *sp else { continue };
        let (s_first, s_last) = (seg.tokens[first_tok].sentence, seg.tokens[last_tok].sentence);
        // Attributions are in text order: only the first one after the quotation and the
        // last one before it can qualify.
        let next = atts.partition_point(|a| a.phrase.start <= last_tok);
        let after = atts.get(next).filter(|a| {
            (a.sentence == s_last
                || (a.sentence == s_last + 1
                    && seg.sentences[a.sentence].paragraph == seg.sentences[s_last].paragraph))
                && (last_tok + 1..a.phrase.start).all(|k| !quoted[k] || quote_of[k] == qi)
        });
        let prev = atts.partition_point(|a| a.phrase.end <= first_tok);
        let before = prev
            .checked_sub(1)
            .and_then(|p| atts.get(p))
            .filter(|a| a.sentence + 1 >= s_first && a.sentence <= s_first);
        let speaker =
            after.map(|_| att_speaker[next]).or_else(|| before.map(|_| att_speaker[prev - 1]));
        for v in &mut voices[first_tok..=last_tok] {
            *v = Voice { kind: VoiceKind::Quoted, speaker };
        }
    }
    // Reported speech.
    let mut in_phrase = vec![false; n];
    for a in atts.iter().chain(&self_atts) {
        for f in &mut in_phrase[a.phrase.clone()] {
            *f = true;
        }
    }
    for (ai, a) in atts.iter().enumerate() {
        let speaker = Some(att_speaker[ai]);
        for i in reported(a, &seg, &quoted) {
            if voices[i].kind == VoiceKind::Own && !in_phrase[i] {
                voices[i] = Voice { kind: VoiceKind::Reported, speaker };
            }
        }
    }
    Analysis { seg, voices, speakers, quotes }
}

/// The voice kinds [`analyse`] gives the tokens `tokens` of `seg` (segmented from `text`),
/// without naming speakers. A token's kind depends only on the quotations and on the
/// attributions of its own sentence, so only the sentences of `tokens` are searched for
/// attributions: much less work when few sentences matter, as for lexicon hits.
pub fn voice_kinds(
    text: &str,
    seg: &Segmented,
    lang: &Lang,
    self_names: &[String],
    tokens: &[usize],
) -> Vec<VoiceKind> {
    if tokens.is_empty() {
        return Vec::new();
    }
    let quoted: Vec<bool> = quotes_of(seg, &quotes::find(text)).map(|q| q.is_some()).collect();
    let mut sentences: Vec<usize> = tokens.iter().map(|&t| seg.tokens[t].sentence).collect();
    sentences.sort_unstable();
    sentences.dedup();
    // In sentence order, so each sentence's attributions are one run.
    let atts = speech::attributions_in(text, seg, &quoted, lang, sentences);
    // Folded only if some hit's sentence has an attribution to check.
    let self_folded = std::cell::OnceCell::new();
    tokens
        .iter()
        .map(|&t| {
            if quoted[t] {
                return VoiceKind::Quoted;
            }
            let s = seg.tokens[t].sentence;
            let here = &atts[atts.partition_point(|a| a.sentence < s)
                ..atts.partition_point(|a| a.sentence <= s)];
            // The words of any attribution, the outlet's own included, stay own.
            if here.iter().any(|a| a.phrase.contains(&t)) {
                return VoiceKind::Own;
            }
            let by_other = |a: &&speech::Attribution| {
                !is_self(a, seg, self_folded.get_or_init(|| fold_names(self_names)))
            };
            if here.iter().filter(by_other).any(|a| reported(a, seg, &quoted).contains(&t)) {
                VoiceKind::Reported
            } else {
                VoiceKind::Own
            }
        })
        .collect()
}

/// Whether each token is inside a quotation, and which one (`usize::MAX` for none).
fn mark_quoted(seg: &Segmented, quotes: &[QuoteSpan]) -> (Vec<bool>, Vec<usize>) {
    quotes_of(seg, quotes).map(|q| (q.is_some(), q.unwrap_or(usize::MAX))).unzip()
}

/// For each token, the index of the quotation it is inside, if any.
fn quotes_of<'a>(
    seg: &'a Segmented,
    quotes: &'a [QuoteSpan],
) -> impl Iterator<Item = Option<usize>> + 'a {
    let mut q = 0;
    seg.tokens.iter().map(move |t| {
        while q < quotes.len() && quotes[q].end <= t.start {
            q += 1;
        }
        (q < quotes.len() && quotes[q].start <= t.start).then_some(q)
    })
}

fn fold_names(names: &[String]) -> Vec<Vec<String>> {
    names.iter().map(|s| fold_words(s)).collect()
}

/// Whether the speaker phrase of `a` ends with the outlet's name ("…, Trend reports").
fn is_self(a: &speech::Attribution, seg: &Segmented, self_folded: &[Vec<String>]) -> bool {
    self_folded.iter().any(|s| {
        !s.is_empty()
            && s.len() <= a.speaker.len()
            && s.iter().rev().zip(a.speaker.clone().rev()).all(|(w, i)| seg.norm(i) == w)
    })
}

/// The tokens attribution `a` makes reported speech (before skipping quoted words and the
/// words of attributions): its whole sentence when the sentence has no quotation; with one,
/// the "said that …" clause up to the quotation; otherwise none.
fn reported(a: &speech::Attribution, seg: &Segmented, quoted: &[bool]) -> std::ops::Range<usize> {
    let s = &seg.sentences[a.sentence];
    if !s.tokens.clone().any(|i| quoted[i]) {
        s.tokens.clone()
    } else if !a.inverted && a.phrase.end > 0 && seg.norm(a.phrase.end - 1) == "that" {
        let end = (a.phrase.end..s.tokens.end).find(|&i| quoted[i]).unwrap_or(s.tokens.end);
        a.phrase.end..end
    } else {
        0..0
    }
}

/// A speaker phrase shortened to its trailing name when it ends in one
/// ("Russian Foreign Ministry's spokeswoman Maria Zakharova" → "Maria Zakharova").
fn speaker_name(text: &str, seg: &Segmented, r: std::ops::Range<usize>) -> String {
    let mut start = r.end;
    while start > r.start && seg.tokens[start - 1].capitalized {
        start -= 1;
    }
    let start = if start < r.end && start > r.start { start } else { r.start };
    let s = &text[seg.tokens[start].start..seg.tokens[r.end - 1].end];
    s.trim_start_matches(|c: char| !c.is_alphanumeric()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voices(text: &str) -> Vec<(String, &'static str, String)> {
        let a = analyse(text, Lang::english(), &["Trend".to_string()]);
        (0..a.seg.tokens.len())
            .map(|i| {
                (
                    a.seg.norm(i).to_string(),
                    a.voices[i].kind.name(),
                    a.speaker(i).unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    fn kind_of(v: &[(String, &'static str, String)], word: &str) -> (&'static str, String) {
        let t = v.iter().find(|t| t.0 == word).unwrap_or_else(|| panic!("{word} not found"));
        (t.1, t.2.clone())
    }

    #[test]
    fn quote_with_trailing_attribution() {
        let v = voices("\"Talks are underway,\" Zakharova told reporters. Armenia occupied land.");
        assert_eq!(kind_of(&v, "talks"), ("quoted", "Zakharova".into()));
        assert_eq!(kind_of(&v, "zakharova").0, "own");
        assert_eq!(kind_of(&v, "occupied"), ("own", String::new()));
    }

    #[test]
    fn inverted_attribution_and_pronoun() {
        let v = voices("Maria Zakharova said talks go on. “We hope,” she said. “The truce failed,” added Zakharova.");
        assert_eq!(kind_of(&v, "hope"), ("quoted", "Maria Zakharova".into()));
        assert_eq!(kind_of(&v, "truce"), ("quoted", "Zakharova".into()));
    }

    #[test]
    fn reported_speech_and_own_outlet() {
        let v = voices("Russia is making efforts to calm the conflict, spokesperson Mariya Zakharova said at the briefing, Trend reports. According to the ministry, the clashes continued. Lavrov stressed that Russia would help.");
        assert_eq!(kind_of(&v, "efforts"), ("reported", "Mariya Zakharova".into()));
        assert_eq!(kind_of(&v, "clashes"), ("reported", "the ministry".into()));
        assert_eq!(kind_of(&v, "help"), ("reported", "Lavrov".into()));
        assert_eq!(kind_of(&v, "trend").0, "own");
    }

    #[test]
    fn quote_then_that_clause() {
        let v = voices("Lavrov stressed that Russia would continue its mission \"in its national capacity.\" Baku agreed.");
        assert_eq!(kind_of(&v, "mission"), ("reported", "Lavrov".into()));
        assert_eq!(kind_of(&v, "capacity"), ("quoted", "Lavrov".into()));
        assert_eq!(kind_of(&v, "baku"), ("own", String::new()));
    }

    #[test]
    fn unattributed_sentence_is_own() {
        let v = voices(
            "Azerbaijani troops liberated a number of territories previously occupied by Armenia.",
        );
        assert!(v.iter().all(|t| t.1 == "own"));
    }

    /// Checks [`voice_kinds`] against [`analyse`] for every token, and for every other token
    /// (so that some sentences are left out of the search).
    fn kinds_agree(text: &str, self_names: &[String]) -> Result<(), String> {
        let lang = Lang::english();
        let a = analyse(text, lang, self_names);
        let all: Vec<usize> = (0..a.seg.tokens.len()).collect();
        let some: Vec<usize> = all.iter().copied().filter(|t| t % 3 == 1).collect();
        for tokens in [all, some] {
            let kinds = voice_kinds(text, &a.seg, lang, self_names, &tokens);
            for (&t, k) in tokens.iter().zip(kinds) {
                if k != a.voices[t].kind {
                    return Err(format!(
                        "token {t} {:?}: {k:?} != {:?}",
                        a.seg.norm(t),
                        a.voices[t].kind
                    ));
                }
            }
        }
        Ok(())
    }

    #[test]
    fn voice_kinds_match_the_full_analysis() {
        let names = ["Trend".to_string(), "Trend News Agency".to_string()];
        for text in [
            "\"Talks are underway,\" Zakharova told reporters. Armenia occupied land.",
            "Maria Zakharova said talks go on. “We hope,” she said. “The truce failed,” added Zakharova.",
            "Russia is making efforts, spokesperson Mariya Zakharova said at the briefing, Trend reports. According to the ministry, the clashes continued. Lavrov stressed that Russia would help.",
            "Lavrov stressed that Russia would continue its mission \"in its national capacity.\" Baku agreed.",
            "“We note progress.\n\n“We are talking about aid,” she said.\nOwn words. He said that the \"liberated\" lands were occupied.",
            "According to Trend, troops liberated the city. The army advanced, Trend News Agency reports.",
            "“Occupied,” the minister said that day. They said it was over, according to officials, Trend reports.",
        ] {
            assert_eq!(kinds_agree(text, &names), Ok(()), "{text}");
        }
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn voice_kinds_equal_analyse(v in proptest::collection::vec(prop::sample::select(vec![
            "Zakharova ", "Maria ", "the ministry ", "spokesperson ", "she ", "he ", "they ",
            "said ", "said that ", "told reporters ", "stressed that ", "added ", "has ", "also ",
            "according to ", "Trend ", "Trend reports", "reports ", "occupied ", "liberated ",
            "troops ", "and ", "when ", "at ", ", ", ". ", "\"", "“", "”", "«", "»", "\n", "\n\n",
            "(", "; ", "I ", "We ",
        ]), 0..40)) {
            let t = v.concat();
            let names = ["Trend".to_string()];
            prop_assert_eq!(kinds_agree(&t, &names), Ok(()), "{:?}", t);
        }
    }
}
