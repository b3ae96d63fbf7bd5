//! Language resources: stop words, speech verbs, negation cues, abbreviations and inflection
//! rules, read from the data files in `lexicons/lang/<code>/`. Consumes those files (embedded
//! in the binary); produces a [`Lang`] the text and lexicon stages consult. English is the
//! only bundled language; another is a folder of the same files.

use std::sync::OnceLock;

/// A set of folded words. These sets are probed once per token of every document, so a
/// probe first checks the word's length and its first and last bytes against those of the
/// members, which turns most words away without hashing; FxHash rather than SipHash for the
/// rest, as keys come from the corpus but cannot flood a fixed set.
#[derive(Debug, Clone)]
pub struct WordSet {
    words: rustc_hash::FxHashSet<String>,
    /// Bit `n` set when a member is `n` bytes long (63: 63 or more).
    lens: u64,
    /// Bit `first * 256 + last` set when a member starts with byte `first` and ends with
    /// byte `last`.
    ends: Box<[u64; 1024]>,
}

impl Default for WordSet {
    fn default() -> Self {
        WordSet { words: Default::default(), lens: 0, ends: Box::new([0; 1024]) }
    }
}

/// The bit of a word's first and last bytes in [`WordSet::ends`], if it has bytes.
fn ends_bit(w: &str) -> Option<(usize, u64)> {
    let b = w.as_bytes();
    let i = usize::from(*b.first()?) << 8 | usize::from(*b.last()?);
    Some((i >> 6, 1 << (i & 63)))
}

impl WordSet {
    /// Whether `w` is a member.
    pub fn contains(&self, w: &str) -> bool {
        let Some((at, bit)) = ends_bit(w) else { return self.words.contains(w) };
        self.lens & (1 << w.len().min(63)) != 0
            && self.ends[at] & bit != 0
            && self.words.contains(w)
    }

    /// The members, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &String> {
        self.words.iter()
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

impl FromIterator<String> for WordSet {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        let mut set = WordSet::default();
        for w in iter {
            set.lens |= 1 << w.len().min(63);
            if let Some((at, bit)) = ends_bit(&w) {
                set.ends[at] |= bit;
            }
            set.words.insert(w);
        }
        set
    }
}

/// Resources for one language.
#[derive(Debug, Clone)]
pub struct Lang {
    /// Language code, e.g. `en`.
    pub code: String,
    /// Function words, folded.
    pub stopwords: WordSet,
    /// Verbs that attribute speech, folded.
    pub speech_verbs: WordSet,
    /// Negation cues, folded.
    pub negation: WordSet,
    /// Abbreviations whose period does not end a sentence, folded, without the period.
    pub abbreviations: WordSet,
    /// Inflection rules: (ending, suffixes), longest ending first.
    pub inflections: Vec<(String, Vec<String>)>,
}

fn word_list(text: &str) -> WordSet {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.to_lowercase())
        .collect()
}

impl Lang {
    /// Builds a language from the contents of its files.
    pub fn from_files(
        code: &str,
        stopwords: &str,
        speech: &str,
        negation: &str,
        abbreviations: &str,
        inflections: &str,
    ) -> Lang {
        let mut rules: Vec<(String, Vec<String>)> = Vec::new();
        let mut rdr = csv::ReaderBuilder::new().from_reader(inflections.as_bytes());
        for rec in rdr.records().flatten() {
            let ending = rec.get(0).unwrap_or("").trim().to_lowercase();
            let suffixes = rec
                .get(1)
                .unwrap_or("")
                .split(';')
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
                .collect();
            rules.push((ending, suffixes));
        }
        rules.sort_by_key(|r| std::cmp::Reverse(r.0.len()));
        Lang {
            code: code.to_string(),
            stopwords: word_list(stopwords),
            speech_verbs: word_list(speech),
            negation: word_list(negation),
            abbreviations: word_list(abbreviations),
            inflections: rules,
        }
    }

    /// The bundled English resources.
    pub fn english() -> &'static Lang {
        static EN: OnceLock<Lang> = OnceLock::new();
        EN.get_or_init(|| {
            Lang::from_files(
                "en",
                include_str!("../../lexicons/lang/en/stopwords.txt"),
                include_str!("../../lexicons/lang/en/speech_verbs.txt"),
                include_str!("../../lexicons/lang/en/negation.txt"),
                include_str!("../../lexicons/lang/en/abbreviations.txt"),
                include_str!("../../lexicons/lang/en/inflections.csv"),
            )
        })
    }

    /// Inflected forms of a folded word (the word itself first), by the first rule whose
    /// ending matches. A `y` rule applies only after a consonant (day → days, not dies).
    pub fn inflect(&self, word: &str) -> Vec<String> {
        let mut out = vec![word.to_string()];
        if word.chars().count() < 3 || !word.chars().all(char::is_alphabetic) {
            return out;
        }
        for (ending, suffixes) in &self.inflections {
            if !word.ends_with(ending.as_str()) {
                continue;
            }
            let stem = &word[..word.len() - ending.len()];
            if ending == "y" && stem.ends_with(['a', 'e', 'i', 'o', 'u']) {
                continue;
            }
            for s in suffixes {
                // Suffixes of the empty-ending rule are added to the whole word; others
                // replace the ending ("liberate" -> "liberat" + "ion").
                let form =
                    if ending.is_empty() { format!("{word}{s}") } else { format!("{stem}{s}") };
                if !out.contains(&form) {
                    out.push(form);
                }
            }
            // Rules with an ending also allow the plain plural / third person.
            if !ending.is_empty() && ending != "y" && ending != "s" {
                let form = format!("{word}s");
                if !out.contains(&form) {
                    out.push(form);
                }
            }
            break;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_set_prefilter_keeps_exact_membership() {
        let long = "x".repeat(70);
        let set: WordSet =
            ["said", "told", "ölçtü", "", long.as_str()].iter().map(|s| s.to_string()).collect();
        for w in ["said", "told", "ölçtü", "", long.as_str()] {
            assert!(set.contains(w), "{w:?}");
        }
        let longer = "x".repeat(71);
        for w in ["sad", "saie", "tolD", "öl", "a", longer.as_str(), "xaid"] {
            assert!(!set.contains(w), "{w:?}");
        }
        assert_eq!(set.len(), 5);
        // Every bundled word is found through the prefilter.
        let en = Lang::english();
        for s in [&en.stopwords, &en.speech_verbs, &en.negation, &en.abbreviations] {
            assert!(s.iter().all(|w| s.contains(w)));
        }
    }

    #[test]
    fn inflections_follow_the_rules_file() {
        let en = Lang::english();
        let f = en.inflect("liberate");
        for w in ["liberate", "liberated", "liberates", "liberating", "liberation"] {
            assert!(f.contains(&w.to_string()), "{w} in {f:?}");
        }
        let f = en.inflect("occupy");
        assert!(f.contains(&"occupied".to_string()) && f.contains(&"occupies".to_string()));
        assert!(en.inflect("day").contains(&"days".to_string()));
        assert!(!en.inflect("day").contains(&"dies".to_string()));
        assert!(en.inflect("attack").contains(&"attacked".to_string()));
        assert_eq!(en.inflect("un"), vec!["un"]);
    }

    #[test]
    fn lists_load() {
        let en = Lang::english();
        assert!(en.stopwords.contains("the"));
        assert!(en.speech_verbs.contains("stressed"));
        assert!(en.negation.contains("never"));
        assert!(en.abbreviations.contains("oct"));
    }
}
