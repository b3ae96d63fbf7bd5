//! Classroom worksheets and their answer keys, built from passages that state the same fact
//! in several outlets. Consumes a plain [`ExerciseData`] (aligned passage groups and the
//! paragraphs richest in framing terms, each with its marks); [`build`] chooses and orders
//! the excerpts for a seed, and [`write_worksheet`] and [`write_key`] render the result as
//! printable HTML or as Markdown on any `io::Write`.
//!
//! Three kinds of exercise ([`Kind`]):
//! - **spot the framing**: the same fact as told by several outlets, the outlets hidden as
//!   Source A, B, C; students underline loaded words and say whose view each reflects;
//! - **who wrote it**: passages to match to outlets, with clues to look for;
//! - **neutral rewrite**: a passage with its loaded words marked, to rewrite neutrally.
//!
//! Rules every worksheet keeps: outlet names (and their aliases, e.g. a "Trend reports"
//! byline) are replaced by `[outlet]` in excerpts; an outlet is never called left, right,
//! good or bad, only named with the country and ownership the registry records; the same
//! data and seed give the same bytes (choices and orders come from
//! [`SplitMix64`]). When there are no aligned passages,
//! single passages rich in framing terms are used instead and the worksheet says so. This
//! module does not find passages or terms itself.

use super::html::{escape, Excerpt, GroupView, Mark};
use crate::score::bootstrap::SplitMix64;
use std::fmt::Write as _;
use std::io::{self, Write};

/// A kind of exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Spot the framing: the same fact from several outlets, names hidden.
    Spot,
    /// Who wrote it: match passages to outlets.
    Who,
    /// Neutral rewrite: rewrite a passage with its loaded words marked.
    Rewrite,
}

impl Kind {
    /// All kinds, in worksheet order.
    pub const ALL: [Kind; 3] = [Kind::Spot, Kind::Who, Kind::Rewrite];

    /// Heading of the part.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Spot => "Spot the framing",
            Kind::Who => "Who wrote it?",
            Kind::Rewrite => "Neutral rewrite",
        }
    }

    /// Suggested time, in minutes.
    pub fn minutes(self) -> u32 {
        match self {
            Kind::Spot => 25,
            Kind::Who => 20,
            Kind::Rewrite => 20,
        }
    }

    fn salt(self) -> u64 {
        match self {
            Kind::Spot => 0x5350_4f54,
            Kind::Who => 0x0057_484f,
            Kind::Rewrite => 0x5245_5752,
        }
    }
}

/// What the outlet registry says about an outlet (shown as a fact, never as a judgement).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutletInfo {
    /// Name.
    pub name: String,
    /// Country, or empty.
    pub country: String,
    /// Ownership, or empty.
    pub ownership: String,
}

impl OutletInfo {
    fn describe(&self) -> String {
        let facts: Vec<&str> = [self.country.as_str(), self.ownership.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if facts.is_empty() {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, facts.join("; "))
        }
    }
}

/// The material worksheets are built from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExerciseData {
    /// Title of the worksheet.
    pub title: String,
    /// Passages of several outlets that state the same fact.
    pub groups: Vec<GroupView>,
    /// Paragraphs with framing terms, in corpus order.
    pub rich: Vec<Excerpt>,
    /// The outlets of the corpus.
    pub outlets: Vec<OutletInfo>,
}

/// What to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Kinds of exercise, in order. Default: all three.
    pub kinds: Vec<Kind>,
    /// Seed for the choices and orders. Default: 1.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options { kinds: Kind::ALL.to_vec(), seed: 1 }
    }
}

/// One excerpt as students see it, with its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// "Source A", "Passage 2".
    pub label: String,
    /// The excerpt, outlet names hidden and shortened; `outlet`, `doc` and `line` are for
    /// the key.
    pub excerpt: Excerpt,
}

/// One part of a worksheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The kind of exercise.
    pub kind: Kind,
    /// Whether single passages were used because no aligned passages were available.
    pub fallback: bool,
    /// Sets of excerpts (spot the framing: one set per fact; otherwise one set).
    pub sets: Vec<Vec<Source>>,
    /// The outlets to choose from (who wrote it).
    pub outlets: Vec<OutletInfo>,
    /// Clues to look for (who wrote it).
    pub clues: Vec<String>,
}

/// A worksheet, ready to render as a worksheet or as its answer key.
#[derive(Debug, Clone, PartialEq)]
pub struct Worksheet {
    /// Title.
    pub title: String,
    /// The seed it was built with.
    pub seed: u64,
    /// Whether the corpus had no aligned passages.
    pub no_groups: bool,
    /// The parts, in order.
    pub parts: Vec<Part>,
}

/// Output markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Markup {
    /// A printable HTML page.
    #[default]
    Html,
    /// Markdown.
    Markdown,
}

/// Excerpts longer than this many bytes are cut around their framing terms.
const MAX_EXCERPT: usize = 520;
/// At most this many facts in spot the framing.
const SPOT_SETS: usize = 2;
/// At most this many sources per fact.
const SPOT_SOURCES: usize = 4;
/// At most this many passages in who wrote it.
const WHO_PASSAGES: usize = 6;
/// Passages to rewrite.
const REWRITE_PASSAGES: usize = 2;

const GRADE: &str = "grades 9–12 (ages 14–18); also suits introductory university courses";
const LIMITS: &str = "Counting a lexicon's words shows which wording a text chose and how \
                      often; it cannot show whether the facts are true, why the writer chose \
                      the words, or how readers understood them.";

fn loaded(ex: &Excerpt) -> usize {
    ex.marks.iter().filter(|m| m.loaded()).count()
}

/// Richness of an excerpt for exercises: loaded terms, then all terms.
fn richness(ex: &Excerpt) -> (usize, usize) {
    (loaded(ex), ex.marks.len())
}

fn shuffle<T>(v: &mut [T], rng: &mut SplitMix64) {
    for i in (1..v.len()).rev() {
        v.swap(i, rng.below(i + 1));
    }
}

fn letter(i: usize) -> String {
    let a = (b'A' + (i % 26) as u8) as char;
    if i < 26 {
        a.to_string()
    } else {
        format!("{a}{}", i / 26)
    }
}

/// Chooses and orders the excerpts for `opts.seed`.
pub fn build(data: &ExerciseData, opts: &Options) -> Worksheet {
    let mut used: Vec<(String, u32)> = Vec::new();
    let mut parts = Vec::new();
    for &kind in &opts.kinds {
        let mut rng = SplitMix64::new(opts.seed ^ kind.salt().wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let part = match kind {
            Kind::Spot => spot(data, &mut rng),
            Kind::Who => who(data, &used, &mut rng),
            Kind::Rewrite => rewrite(data, &used, &mut rng),
        };
        used.extend(part.sets.iter().flatten().map(|s| (s.excerpt.doc.clone(), s.excerpt.line)));
        parts.push(part);
    }
    Worksheet {
        title: data.title.clone(),
        seed: opts.seed,
        no_groups: data.groups.is_empty(),
        parts,
    }
}

/// Each outlet's richest paragraph (most loaded terms, then most terms, then first), the
/// outlets ordered by that richness; paragraphs in `avoid` are taken only when an outlet has
/// no other.
fn best_per_outlet<'a>(rich: &'a [Excerpt], avoid: &[(String, u32)]) -> Vec<&'a Excerpt> {
    let mut best: Vec<&Excerpt> = Vec::new();
    for ex in rich.iter().filter(|e| !e.marks.is_empty()) {
        let fresh = !avoid.contains(&(ex.doc.clone(), ex.line));
        match best.iter_mut().find(|b| b.outlet == ex.outlet) {
            Some(b) => {
                let b_fresh = !avoid.contains(&(b.doc.clone(), b.line));
                if (fresh, richness(ex)) > (b_fresh, richness(b)) {
                    *b = ex;
                }
            }
            None => best.push(ex),
        }
    }
    best.sort_by(|a, b| richness(b).cmp(&richness(a)).then(a.outlet.cmp(&b.outlet)));
    best
}

fn spot(data: &ExerciseData, rng: &mut SplitMix64) -> Part {
    let mut sets: Vec<Vec<&Excerpt>> = Vec::new();
    let fallback = data.groups.is_empty();
    if fallback {
        let mut set = best_per_outlet(&data.rich, &[]);
        set.truncate(SPOT_SOURCES);
        if !set.is_empty() {
            sets.push(set);
        }
    } else {
        let mut groups: Vec<&GroupView> = data.groups.iter().collect();
        let score = |g: &GroupView| {
            let mut o: Vec<&str> = g.passages.iter().map(|p| p.outlet.as_str()).collect();
            o.sort_unstable();
            o.dedup();
            (g.passages.iter().map(loaded).sum::<usize>(), o.len())
        };
        groups.sort_by(|a, b| score(b).cmp(&score(a)).then(a.id.cmp(&b.id)));
        for g in groups.into_iter().take(SPOT_SETS) {
            // One passage per outlet, the richest, at most SPOT_SOURCES.
            let mut set = best_per_outlet(&g.passages, &[]);
            set.truncate(SPOT_SOURCES);
            sets.push(set);
        }
    }
    let mut n = 0;
    let sets = sets
        .into_iter()
        .map(|mut set| {
            shuffle(&mut set, rng);
            set.into_iter()
                .map(|ex| {
                    n += 1;
                    Source { label: format!("Source {}", letter(n - 1)), excerpt: prepare(ex) }
                })
                .collect()
        })
        .collect();
    Part { kind: Kind::Spot, fallback, sets, outlets: Vec::new(), clues: Vec::new() }
}

fn who(data: &ExerciseData, avoid: &[(String, u32)], rng: &mut SplitMix64) -> Part {
    let mut set = best_per_outlet(&data.rich, avoid);
    set.truncate(WHO_PASSAGES);
    shuffle(&mut set, rng);
    let sources: Vec<Source> = set
        .iter()
        .enumerate()
        .map(|(i, ex)| Source { label: format!("Passage {}", i + 1), excerpt: prepare(ex) })
        .collect();
    let mut outlets: Vec<OutletInfo> = set
        .iter()
        .map(|ex| {
            data.outlets
                .iter()
                .find(|o| o.name == ex.outlet)
                .cloned()
                .unwrap_or(OutletInfo { name: ex.outlet.clone(), ..OutletInfo::default() })
        })
        .collect();
    outlets.sort_by(|a, b| a.name.cmp(&b.name));
    outlets.dedup();
    let mut concepts: Vec<&str> = sources
        .iter()
        .flat_map(|s| s.excerpt.marks.iter().filter(|m| m.loaded()))
        .map(|m| m.concept.as_str())
        .collect();
    concepts.sort_unstable();
    concepts.dedup();
    let mut clues: Vec<String> = Vec::new();
    if !concepts.is_empty() {
        clues.push(format!("Which words does each passage choose for: {}?", concepts.join("; ")));
    }
    clues.extend([
        "Names: what is each place, group or leader called, and how is it spelled?".to_string(),
        "Whose words are they? Loaded wording inside quotation marks belongs to the person \
         quoted, not to the outlet."
            .to_string(),
        "Who is quoted or named as a source, and who is left out?".to_string(),
        "Background: where in history does the passage start the story?".to_string(),
    ]);
    let sets = if sources.is_empty() { Vec::new() } else { vec![sources] };
    Part { kind: Kind::Who, fallback: data.groups.is_empty(), sets, outlets, clues }
}

fn rewrite(data: &ExerciseData, avoid: &[(String, u32)], rng: &mut SplitMix64) -> Part {
    let mut cands: Vec<&Excerpt> = data
        .groups
        .iter()
        .flat_map(|g| g.passages.iter())
        .chain(data.rich.iter())
        .filter(|e| loaded(e) > 0)
        .collect();
    // Passages with three or more loaded terms first, then those not used in earlier parts,
    // then the most loaded; the same paragraph may come from a group and from the rich list.
    let fresh = |e: &Excerpt| !avoid.contains(&(e.doc.clone(), e.line));
    let rank = |e: &Excerpt| (loaded(e).min(3), fresh(e));
    cands.sort_by(|a, b| {
        (rank(b), loaded(b))
            .cmp(&(rank(a), loaded(a)))
            .then(a.doc.cmp(&b.doc))
            .then(a.line.cmp(&b.line))
    });
    cands.dedup_by(|a, b| a.doc == b.doc && a.line == b.line);
    cands.truncate(REWRITE_PASSAGES * 2);
    shuffle(&mut cands, rng);
    // A stable sort keeps the shuffled order among equals.
    cands.sort_by_key(|e| std::cmp::Reverse(rank(e)));
    cands.truncate(REWRITE_PASSAGES);
    let sources: Vec<Source> = cands
        .into_iter()
        .enumerate()
        .map(|(i, ex)| {
            let mut ex = prepare(ex);
            ex.marks.retain(Mark::loaded);
            Source { label: format!("Passage {}", letter(i)), excerpt: ex }
        })
        .collect();
    let sets = if sources.is_empty() { Vec::new() } else { vec![sources] };
    Part {
        kind: Kind::Rewrite,
        fallback: data.groups.is_empty(),
        sets,
        outlets: Vec::new(),
        clues: Vec::new(),
    }
}

/// An excerpt as students see it: outlet names hidden, then cut to a short excerpt.
fn prepare(ex: &Excerpt) -> Excerpt {
    shorten(&redact(ex), MAX_EXCERPT)
}

/// Replaces the outlet's names and aliases (whole words, any case) with `[outlet]`, moving the
/// marks; a mark that overlaps a name is dropped.
pub fn redact(ex: &Excerpt) -> Excerpt {
    let mut names: Vec<&str> = ex
        .names
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(ex.outlet.as_str()))
        .map(str::trim)
        .filter(|s| s.chars().count() >= 2 && *s != crate::corpus::UNKNOWN_OUTLET)
        .collect();
    names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    names.dedup();
    if names.is_empty() {
        return ex.clone();
    }
    let pattern =
        format!("(?i)(?:{})", names.iter().map(|n| regex::escape(n)).collect::<Vec<_>>().join("|"));
    let Ok(re) = regex::Regex::new(&pattern) else { return ex.clone() };
    let text = &ex.text;
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let spans: Vec<(usize, usize)> = re
        .find_iter(text)
        .filter(|m| {
            let s = m.as_str();
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            // A name glued to a letter or digit is part of a longer word.
            let glued = |edge: Option<char>, next: Option<char>| word(edge) && word(next);
            !glued(s.chars().next(), before) && !glued(s.chars().next_back(), after)
        })
        .map(|m| (m.start(), m.end()))
        .collect();
    const HIDDEN: &str = "[outlet]";
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(a, b) in &spans {
        out.push_str(&text[at..a]);
        out.push_str(HIDDEN);
        at = b;
    }
    out.push_str(&text[at..]);
    let shift = |pos: usize| -> isize {
        spans
            .iter()
            .filter(|&&(_, b)| b <= pos)
            .map(|&(a, b)| HIDDEN.len() as isize - (b - a) as isize)
            .sum()
    };
    let marks = ex
        .marks
        .iter()
        .filter(|m| !spans.iter().any(|&(a, b)| m.start < b && a < m.end))
        .map(|m| {
            let d = shift(m.start);
            let mut m = m.clone();
            m.start = (m.start as isize + d) as usize;
            m.end = (m.end as isize + d) as usize;
            m
        })
        .collect();
    Excerpt { text: out, marks, ..ex.clone() }
}

/// Cuts an excerpt longer than `max` bytes to about `max` bytes around its first loaded
/// term (else its first term), starting at a sentence where it can, with ellipses.
pub fn shorten(ex: &Excerpt, max: usize) -> Excerpt {
    let text = &ex.text;
    if text.len() <= max {
        return ex.clone();
    }
    let anchor = ex.marks.iter().find(|m| m.loaded()).or(ex.marks.first()).map_or(0, |m| m.start);
    // Start at the last sentence start at most `max / 2` bytes before the anchor.
    let floor = anchor.saturating_sub(max / 2);
    let mut start = text[..anchor]
        .match_indices(". ")
        .map(|(i, _)| i + 2)
        .filter(|&i| i >= floor)
        .last()
        .unwrap_or(if anchor < max / 2 { 0 } else { floor });
    while !text.is_char_boundary(start) {
        start += 1;
    }
    if start > 0 && start == floor {
        // Not at a sentence start: begin at a word.
        start = text[start..].find(' ').map_or(start, |i| start + i + 1);
    }
    let mut end = (start + max).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len() {
        // End at a sentence if one ends in the last third, else at a word.
        let window = &text[start..end];
        end = match window.rfind(". ") {
            Some(i) if i > window.len() * 2 / 3 => start + i + 1,
            _ => window.rfind(' ').map_or(end, |i| start + i),
        };
    }
    let pre = if start > 0 { "… " } else { "" };
    let post = if end < text.len() { " …" } else { "" };
    let marks = ex
        .marks
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .map(|m| {
            let mut m = m.clone();
            m.start = m.start - start + pre.len();
            m.end = m.end - start + pre.len();
            m
        })
        .collect();
    Excerpt { text: format!("{pre}{}{post}", &text[start..end]), marks, ..ex.clone() }
}

// ---------------------------------------------------------------------------------------
// A small document model, rendered as HTML or Markdown.

enum Block {
    Title(String),
    Part(String),
    Heading(String),
    Para(String),
    Meta(String),
    NameLine,
    Ordered(Vec<String>),
    Bullets(Vec<String>),
    /// Label, line, text, marks; `numbered` marks get an underline and a number.
    Excerpt {
        label: String,
        line: u32,
        text: String,
        marks: Vec<(usize, usize, usize)>,
    },
    /// Excerpts shown side by side on screen.
    Side(Vec<Block>),
    Lines(usize),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Note(String),
}

fn meta(kind: Kind) -> Block {
    Block::Meta(format!("Time: about {} minutes", kind.minutes()))
}

fn plain_excerpt(s: &Source) -> Block {
    Block::Excerpt {
        label: s.label.clone(),
        line: s.excerpt.line,
        text: s.excerpt.text.clone(),
        marks: Vec::new(),
    }
}

fn worksheet_blocks(ws: &Worksheet) -> Vec<Block> {
    let mut b = vec![Block::Title(ws.title.clone()), Block::NameLine];
    let total: u32 = ws.parts.iter().map(|p| p.kind.minutes()).sum();
    b.push(Block::Meta(format!(
        "Worksheet version {} · {} part{} · about {total} minutes in all · Suggested level: {GRADE}",
        ws.seed,
        ws.parts.len(),
        if ws.parts.len() == 1 { "" } else { "s" }
    )));
    b.push(Block::Para(
        "These excerpts come from real news reports. The outlets' names are hidden as \
         [outlet]. Read closely and answer with evidence: quote the exact words and give the \
         source and line."
            .into(),
    ));
    if ws.no_groups {
        b.push(Block::Note(
            "No passages of this corpus state the same fact in several outlets, so this \
             worksheet uses single passages rich in framing terms instead: the sources may \
             describe different events."
                .into(),
        ));
    }
    for (i, p) in ws.parts.iter().enumerate() {
        b.push(Block::Part(format!("Part {}: {}", i + 1, p.kind.title())));
        b.push(meta(p.kind));
        if p.sets.is_empty() {
            b.push(Block::Para(
                "This corpus has no passages with framing terms for this exercise.".into(),
            ));
            continue;
        }
        match p.kind {
            Kind::Spot => spot_blocks(&mut b, p),
            Kind::Who => who_blocks(&mut b, p),
            Kind::Rewrite => rewrite_blocks(&mut b, p),
        }
        b.push(Block::Note(format!("What counts can and cannot show: {LIMITS}")));
    }
    b
}

fn spot_blocks(b: &mut Vec<Block>, p: &Part) {
    b.push(Block::Heading("Instructions".into()));
    b.push(Block::Ordered(vec![
        if p.fallback {
            "Read the sources below. Each comes from a different outlet.".into()
        } else {
            "Read the sources in each set. They report the same fact, in different outlets' words."
                .into()
        },
        "Underline every word or phrase that shows a point of view: how a place, a group, an \
         action or a cause is named."
            .into(),
        "Next to each underlined word, write whose view it reflects and why you think so.".into(),
        "Then answer the questions with quotations (source and line).".into(),
    ]));
    for (i, set) in p.sets.iter().enumerate() {
        if p.sets.len() > 1 {
            b.push(Block::Heading(format!("Set {}", i + 1)));
        }
        b.push(Block::Side(set.iter().map(plain_excerpt).collect()));
    }
    b.push(Block::Heading("Questions".into()));
    b.push(Block::Ordered(vec![
        "Which facts do all the sources agree on? Quote the words each source uses for one of \
         them."
            .into(),
        "Find a place where two sources name the same thing differently. Quote both (source \
         and line). How does each choice change the picture a reader gets?"
            .into(),
        "Pick one underlined word. Is it the writer's own word, or inside a quotation? Does \
         that change whose view it shows?"
            .into(),
        "Suggest a more neutral word for one underlined word. What does your word leave out?"
            .into(),
        "What would you need to check, beyond the wording, to know whether a source is \
         accurate?"
            .into(),
    ]));
    b.push(Block::Lines(8));
}

fn who_blocks(b: &mut Vec<Block>, p: &Part) {
    let n = p.sets.first().map_or(0, Vec::len);
    b.push(Block::Heading("Instructions".into()));
    b.push(Block::Ordered(vec![
        format!(
            "Each of the {n} passages below comes from a different one of the outlets listed. \
             Their names are hidden as [outlet]."
        ),
        "Match each passage to an outlet. In the table, write the words in the passage that \
         gave you the clue."
            .into(),
        "Where you cannot decide, say which two outlets you hesitate between and why.".into(),
    ]));
    b.push(Block::Heading("The outlets".into()));
    b.push(Block::Bullets(p.outlets.iter().map(OutletInfo::describe).collect()));
    b.push(Block::Heading("Clues to look for".into()));
    b.push(Block::Bullets(p.clues.clone()));
    for set in &p.sets {
        for s in set {
            b.push(plain_excerpt(s));
        }
    }
    b.push(Block::Table {
        head: vec!["passage".into(), "outlet".into(), "the words that gave the clue".into()],
        rows: (1..=n).map(|i| vec![format!("{i}"), String::new(), String::new()]).collect(),
    });
    b.push(Block::Heading("Questions".into()));
    b.push(Block::Ordered(vec![
        "Which single word or phrase was your strongest clue? Why?".into(),
        "Which passage was hardest to place? What made it hard?".into(),
        "Can an outlet use one side's wording without sharing that side's view? Find an \
         example (quotation or reported speech) in the passages."
            .into(),
    ]));
    b.push(Block::Lines(6));
}

fn rewrite_blocks(b: &mut Vec<Block>, p: &Part) {
    b.push(Block::Heading("Instructions".into()));
    b.push(Block::Ordered(vec![
        "The underlined, numbered words are loaded: they carry one side's view, or a plainer \
         word exists."
            .into(),
        "Rewrite each passage so that readers on either side would accept it as a plain \
         description. Keep every fact; change only what you must."
            .into(),
        "Under your rewrite, list each number and the words you chose instead.".into(),
    ]));
    for set in &p.sets {
        for s in set {
            let marks =
                s.excerpt.marks.iter().enumerate().map(|(i, m)| (m.start, m.end, i + 1)).collect();
            b.push(Block::Excerpt {
                label: s.label.clone(),
                line: s.excerpt.line,
                text: s.excerpt.text.clone(),
                marks,
            });
            b.push(Block::Lines(6));
        }
    }
    b.push(Block::Heading("Questions".into()));
    b.push(Block::Ordered(vec![
        "For one marked word: what does your replacement keep, and what does it drop?".into(),
        "Did any fact change when you changed the words? Point to the line.".into(),
        "Is a fully neutral wording always possible? Give an example from your rewrite.".into(),
    ]));
    b.push(Block::Lines(5));
}

fn term_rows(ex: &Excerpt) -> Vec<Vec<String>> {
    ex.marks
        .iter()
        .map(|m| {
            let words = &ex.text.get(m.start..m.end).unwrap_or(&m.term);
            let voice = match &m.speaker {
                Some(s) => format!("{} ({s})", m.voice),
                None => m.voice.clone(),
            };
            vec![
                words.to_string(),
                format!("{}{}", m.pole, if m.negated { ", negated" } else { "" }),
                voice,
                format!("{}: {}", m.concept, m.note),
                if m.neutral.trim().is_empty() { "—".into() } else { m.neutral.clone() },
            ]
        })
        .collect()
}

fn terms_table(ex: &Excerpt) -> Block {
    Block::Table {
        head: vec![
            "no.".into(),
            "words in the text".into(),
            "pole".into(),
            "voice".into(),
            "concept and lexicon note".into(),
            "neutral alternative".into(),
        ],
        rows: term_rows(ex)
            .into_iter()
            .enumerate()
            .map(|(i, mut r)| {
                r.insert(0, format!("{}", i + 1));
                r
            })
            .collect(),
    }
}

fn origin(s: &Source) -> String {
    format!(
        "{}: {} — document {}, line {}{}",
        s.label,
        s.excerpt.outlet,
        s.excerpt.doc,
        s.excerpt.line,
        s.excerpt.date.as_deref().map_or(String::new(), |d| format!(", {d}"))
    )
}

fn key_blocks(ws: &Worksheet) -> Vec<Block> {
    let mut b = vec![
        Block::Title(format!("Answer key: {}", ws.title)),
        Block::Meta(format!(
            "For worksheet version {} · keep this page away from students until the discussion",
            ws.seed
        )),
        Block::Para(
            "Poles name whose framing a wording reflects in the lexicon: they describe words, \
             not the outlets that use them. Accept any answer a student supports with the text."
                .into(),
        ),
    ];
    for (i, p) in ws.parts.iter().enumerate() {
        b.push(Block::Part(format!("Part {}: {}", i + 1, p.kind.title())));
        if p.fallback && p.kind == Kind::Spot {
            b.push(Block::Note(
                "No aligned passages: each source is the paragraph of its outlet richest in \
                 framing terms."
                    .into(),
            ));
        }
        if p.kind == Kind::Who {
            b.push(Block::Table {
                head: vec!["passage".into(), "outlet".into(), "document and line".into()],
                rows: p
                    .sets
                    .iter()
                    .flatten()
                    .map(|s| {
                        vec![
                            s.label.trim_start_matches("Passage ").to_string(),
                            s.excerpt.outlet.clone(),
                            format!("{}, line {}", s.excerpt.doc, s.excerpt.line),
                        ]
                    })
                    .collect(),
            });
        }
        for s in p.sets.iter().flatten() {
            b.push(Block::Heading(origin(s)));
            // The excerpt as students saw it, every framing term numbered as in the table.
            let marks = s.excerpt.marks.iter().enumerate().map(|(i, m)| (m.start, m.end, i + 1));
            b.push(Block::Excerpt {
                label: s.label.clone(),
                line: s.excerpt.line,
                text: s.excerpt.text.clone(),
                marks: marks.collect(),
            });
            if s.excerpt.marks.is_empty() {
                b.push(Block::Para("No framing terms from the lexicon in this excerpt.".into()));
            } else {
                b.push(terms_table(&s.excerpt));
            }
        }
    }
    b.push(Block::Note(format!("What counts can and cannot show: {LIMITS}")));
    b
}

/// Writes the worksheet (no answers).
pub fn write_worksheet(ws: &Worksheet, markup: Markup, out: &mut dyn Write) -> io::Result<()> {
    let blocks = worksheet_blocks(ws);
    out.write_all(render(&ws.title, &blocks, markup).as_bytes())
}

/// Writes the answer key: the outlet of each source, every framing term with its pole and
/// note, and the neutral alternatives.
pub fn write_key(ws: &Worksheet, markup: Markup, out: &mut dyn Write) -> io::Result<()> {
    let blocks = key_blocks(ws);
    out.write_all(render(&format!("Answer key: {}", ws.title), &blocks, markup).as_bytes())
}

fn render(title: &str, blocks: &[Block], markup: Markup) -> String {
    match markup {
        Markup::Html => html(title, blocks),
        Markup::Markdown => md(blocks),
    }
}

const CSS: &str = r#"
*{box-sizing:border-box}
body{font-family:"DejaVu Serif",Georgia,"Times New Roman",serif;color:#111;background:#fff;max-width:50rem;margin:0 auto;padding:1.5rem;line-height:1.5;font-size:12pt}
h1{font-size:1.6rem;margin:0 0 .6rem}h2{font-size:1.3rem;border-bottom:2px solid #111;margin-top:2rem}h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
.meta{font-family:system-ui,"DejaVu Sans",sans-serif;font-size:.9rem;color:#333}
.name{display:flex;gap:1.5rem;font-family:system-ui,"DejaVu Sans",sans-serif}
.name span{flex:1;border-bottom:1px solid #111;padding-top:1rem}
.side{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:.8rem}
.excerpt{border:1px solid #888;padding:.5rem .8rem;margin:.6rem 0;break-inside:avoid}
.excerpt h4{margin:0 0 .2rem;font-family:system-ui,"DejaVu Sans",sans-serif;font-size:.95rem}
.excerpt h4 small{font-weight:normal;color:#444}
.excerpt p{margin:0;line-height:2.3}
u.loaded{text-decoration:underline solid 2px;text-underline-offset:3px;font-weight:bold}
u.loaded sup{font-size:.7em;margin-left:.1em}
.lines{break-inside:avoid}.lines div{border-bottom:1px solid #999;height:2.1em}
.limits{border-left:4px solid #111;padding:.3rem .7rem;font-size:.9rem;margin:1rem 0;background:#f4f4f4}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #999;padding:.3rem .45rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
td{height:2.2em}th{background:#eee}
@page{size:A4;margin:15mm 14mm}
@media print{
 body{max-width:none;padding:0;font-size:11pt}
 h2.part{break-before:page}
 h2.part:first-of-type{break-before:auto}
 h3{break-after:avoid}
 .side{display:block}
 .excerpt,tr,.limits{break-inside:avoid}
 thead{display:table-header-group}
 th,.limits{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"#;

fn marked_html(text: &str, marks: &[(usize, usize, usize)]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &(a, b, n) in marks {
        if a < at
            || b > text.len()
            || a >= b
            || !text.is_char_boundary(a)
            || !text.is_char_boundary(b)
        {
            continue;
        }
        out.push_str(&escape(&text[at..a]));
        let _ = write!(out, "<u class=\"loaded\">{}<sup>{n}</sup></u>", escape(&text[a..b]));
        at = b;
    }
    out.push_str(&escape(&text[at..]));
    out
}

fn html(title: &str, blocks: &[Block]) -> String {
    let mut h = String::new();
    super::html::open_page(&mut h, title, CSS);
    for block in blocks {
        html_block(&mut h, block);
    }
    h.push_str("</body>\n</html>\n");
    h
}

fn html_block(h: &mut String, block: &Block) {
    match block {
        Block::Title(t) => {
            let _ = writeln!(h, "<h1>{}</h1>", escape(t));
        }
        Block::Part(t) => {
            let _ = writeln!(h, "<h2 class=\"part\">{}</h2>", escape(t));
        }
        Block::Heading(t) => {
            let _ = writeln!(h, "<h3>{}</h3>", escape(t));
        }
        Block::Para(t) => {
            let _ = writeln!(h, "<p>{}</p>", escape(t));
        }
        Block::Meta(t) => {
            let _ = writeln!(h, "<p class=\"meta\">{}</p>", escape(t));
        }
        Block::NameLine => h.push_str(
            "<div class=\"name\"><span>Name:</span><span>Class:</span><span>Date:</span></div>\n",
        ),
        Block::Ordered(items) | Block::Bullets(items) => {
            let tag = if matches!(block, Block::Ordered(_)) { "ol" } else { "ul" };
            let _ = write!(h, "<{tag}>");
            for i in items {
                let _ = write!(h, "<li>{}</li>", escape(i));
            }
            let _ = writeln!(h, "</{tag}>");
        }
        Block::Excerpt { label, line, text, marks } => {
            let _ = writeln!(
                h,
                "<div class=\"excerpt\"><h4>{} <small>(line {line})</small></h4><p>{}</p></div>",
                escape(label),
                marked_html(text, marks)
            );
        }
        Block::Side(items) => {
            h.push_str("<div class=\"side\">\n");
            for i in items {
                html_block(h, i);
            }
            h.push_str("</div>\n");
        }
        Block::Lines(n) => {
            let _ = writeln!(
                h,
                "<div class=\"lines\" aria-hidden=\"true\">{}</div>",
                "<div></div>".repeat(*n)
            );
        }
        Block::Table { head, rows } => {
            h.push_str("<table><thead><tr>");
            for c in head {
                let _ = write!(h, "<th>{}</th>", escape(c));
            }
            h.push_str("</tr></thead><tbody>\n");
            for r in rows {
                h.push_str("<tr>");
                for c in r {
                    let _ = write!(h, "<td>{}</td>", escape(c));
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</tbody></table>\n");
        }
        Block::Note(t) => {
            let _ = writeln!(h, "<p class=\"limits\">{}</p>", escape(t));
        }
    }
}

/// Escapes Markdown inline syntax and raw HTML (`<`, `>`, `&` become literal text).
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn md(blocks: &[Block]) -> String {
    let mut m = String::new();
    for block in blocks {
        md_block(&mut m, block);
    }
    m
}

fn md_block(m: &mut String, block: &Block) {
    match block {
        Block::Title(t) => {
            let _ = writeln!(m, "# {}\n", md_escape(t));
        }
        Block::Part(t) => {
            let _ = writeln!(m, "## {}\n", md_escape(t));
        }
        Block::Heading(t) => {
            let _ = writeln!(m, "### {}\n", md_escape(t));
        }
        Block::Para(t) => {
            let _ = writeln!(m, "{}\n", md_escape(t));
        }
        Block::Meta(t) => {
            let _ = writeln!(m, "*{}*\n", md_escape(t));
        }
        Block::NameLine => m.push_str("Name: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_  Class: \\_\\_\\_\\_\\_\\_  Date: \\_\\_\\_\\_\\_\\_\n\n"),
        Block::Ordered(items) => {
            for (i, t) in items.iter().enumerate() {
                let _ = writeln!(m, "{}. {}", i + 1, md_escape(t));
            }
            m.push('\n');
        }
        Block::Bullets(items) => {
            for t in items {
                let _ = writeln!(m, "- {}", md_escape(t));
            }
            m.push('\n');
        }
        Block::Excerpt { label, line, text, marks } => {
            let mut body = String::new();
            let mut at = 0;
            for &(a, b, n) in marks {
                if a < at || b > text.len() || a >= b || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
                    continue;
                }
                let _ = write!(body, "{}**{}** ({n})", md_escape(&text[at..a]), md_escape(&text[a..b]));
                at = b;
            }
            body.push_str(&md_escape(&text[at..]));
            let _ = writeln!(m, "> **{}** (line {line})\n>\n> {}\n", md_escape(label), body);
        }
        Block::Side(items) => {
            for i in items {
                md_block(m, i);
            }
        }
        Block::Lines(n) => {
            for _ in 0..*n {
                m.push_str("\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_  \n");
            }
            m.push('\n');
        }
        Block::Table { head, rows } => {
            let _ = writeln!(m, "| {} |", head.iter().map(|c| md_escape(c)).collect::<Vec<_>>().join(" | "));
            let _ = writeln!(m, "|{}", head.iter().map(|_| "---|").collect::<String>());
            for r in rows {
                let cells: Vec<String> =
                    r.iter().map(|c| if c.is_empty() { " ".into() } else { md_escape(c) }).collect();
                let _ = writeln!(m, "| {} |", cells.join(" | "));
            }
            m.push('\n');
        }
        Block::Note(t) => {
            let _ = writeln!(m, "> *{}*\n", md_escape(t));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(text: &str, word: &str, pole: &str, neutral: &str) -> Mark {
        let start = text.find(word).unwrap();
        Mark {
            start,
            end: start + word.len(),
            term: word.to_lowercase(),
            concept: "control".into(),
            pole: pole.into(),
            axis: pole != "neutral",
            note: format!("note on {word}"),
            neutral: neutral.into(),
            voice: "own".into(),
            speaker: None,
            negated: false,
        }
    }

    fn ex(outlet: &str, doc: &str, line: u32, text: &str, words: &[(&str, &str)]) -> Excerpt {
        Excerpt {
            doc: doc.into(),
            outlet: outlet.into(),
            names: vec![outlet.into(), format!("{outlet} Agency")],
            date: None,
            line,
            text: text.into(),
            marks: words
                .iter()
                .map(|(w, p)| mark(text, w, p, if *p == "neutral" { "" } else { "held" }))
                .collect(),
        }
    }

    fn data() -> ExerciseData {
        let a = ex(
            "Wire",
            "w1",
            3,
            "Troops liberated the town, Wire reports. Talks went on.",
            &[("liberated", "az"), ("Talks", "neutral")],
        );
        let b = ex(
            "Ledger",
            "l1",
            5,
            "Troops occupied the town, the LEDGER AGENCY said.",
            &[("occupied", "am")],
        );
        let c = ex("Courier", "c1", 7, "Forces captured the town.", &[("captured", "neutral")]);
        ExerciseData {
            title: "Test".into(),
            groups: vec![GroupView {
                id: 1,
                label: "town".into(),
                shared: vec![],
                passages: vec![a.clone(), b.clone(), c.clone()],
            }],
            rich: vec![a, b, c],
            outlets: vec![OutletInfo {
                name: "Wire".into(),
                country: "X".into(),
                ownership: "private".into(),
            }],
        }
    }

    #[test]
    fn redact_hides_names_and_moves_marks() {
        let d = data();
        let r = redact(&d.rich[1]);
        assert_eq!(r.text, "Troops occupied the town, the [outlet] said.");
        assert_eq!(&r.text[r.marks[0].start..r.marks[0].end], "occupied");
        let r = redact(&d.rich[0]);
        assert_eq!(r.text, "Troops liberated the town, [outlet] reports. Talks went on.");
        assert_eq!(&r.text[r.marks[1].start..r.marks[1].end], "Talks");
        // Whole words only.
        let w = ex("AA", "x", 1, "AAA and aa said.", &[]);
        assert_eq!(redact(&w).text, "AAA and [outlet] said.");
    }

    #[test]
    fn shorten_keeps_marks_on_their_words() {
        let long = format!(
            "{} Troops liberated the town. {}",
            "Filler words here. ".repeat(40),
            "More filler. ".repeat(40)
        );
        let e = ex("Wire", "w", 1, &long, &[("liberated", "az")]);
        let s = shorten(&e, 200);
        assert!(s.text.len() <= 210, "{}", s.text.len());
        assert!(s.text.starts_with("… ") && s.text.ends_with(" …"));
        assert_eq!(&s.text[s.marks[0].start..s.marks[0].end], "liberated");
    }

    #[test]
    fn same_seed_same_bytes_and_names_hidden() {
        let d = data();
        let render = |seed| {
            let ws = build(&d, &Options { seed, ..Options::default() });
            let mut w = Vec::new();
            write_worksheet(&ws, Markup::Html, &mut w).unwrap();
            String::from_utf8(w).unwrap()
        };
        assert_eq!(render(3), render(3));
        let outs: std::collections::BTreeSet<String> = (1..10).map(render).collect();
        assert!(outs.len() > 1, "seeds change the order");
        let page = render(3);
        assert!(!page.contains("Wire reports") && !page.contains("LEDGER"));
        assert!(page.contains("Source C"));
    }

    #[test]
    fn key_names_outlets_poles_notes_and_neutral() {
        let d = data();
        let ws = build(&d, &Options::default());
        let mut w = Vec::new();
        write_key(&ws, Markup::Markdown, &mut w).unwrap();
        let key = String::from_utf8(w).unwrap();
        for s in ["Wire", "Ledger", "Courier", "note on liberated", "held", "| am |"] {
            assert!(key.contains(s), "{s} in\n{key}");
        }
    }

    #[test]
    fn fallback_without_groups_says_so() {
        let mut d = data();
        d.groups.clear();
        let ws = build(&d, &Options { kinds: vec![Kind::Spot], seed: 1 });
        assert!(ws.parts[0].fallback);
        let mut w = Vec::new();
        write_worksheet(&ws, Markup::Markdown, &mut w).unwrap();
        assert!(String::from_utf8(w).unwrap().contains("single passages rich in framing terms"));
    }

    #[test]
    fn markdown_escapes_markup() {
        assert_eq!(md_escape("<script>*x*|"), "\\<script\\>\\*x\\*\\|");
    }
}
