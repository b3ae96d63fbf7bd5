//! ASCII fast paths for UAX #29 word and sentence boundaries. News text is mostly ASCII,
//! and unicode-segmentation spends most of its time looking up the break category of every
//! character in its tables. For ASCII the categories are a handful of byte classes, so the
//! rules can run on bytes directly. Non-ASCII stretches go to unicode-segmentation itself.
//! The output is exactly what unicode-segmentation yields (`split_word_bound_indices`,
//! `split_sentence_bound_indices`); property tests in this module and in tests/cli/props.rs
//! check that on random and real text.
//!
//! Most callers want words only: [`word_indices`] yields the segments with a letter or digit
//! without making segments of what lies between, and [`count_ascii_words`] counts them in
//! vector-friendly passes. Both are checked against the segments of unicode-segmentation.

use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

/// Word break classes of ASCII bytes (UAX #29, table 3).
#[derive(Clone, Copy, PartialEq, Eq)]
enum W {
    Cr,
    Lf,
    Newline,
    Letter,
    Numeric,
    MidLetter,
    MidNum,
    MidNumLet,
    SingleQuote,
    ExtendNumLet,
    Space,
    Other,
}

const fn word_class(b: u8) -> W {
    match b {
        b'\r' => W::Cr,
        b'\n' => W::Lf,
        0x0B | 0x0C => W::Newline,
        b'a'..=b'z' | b'A'..=b'Z' => W::Letter,
        b'0'..=b'9' => W::Numeric,
        b':' => W::MidLetter,
        b',' | b';' => W::MidNum,
        b'.' => W::MidNumLet,
        b'\'' => W::SingleQuote,
        b'_' => W::ExtendNumLet,
        b' ' => W::Space,
        _ => W::Other,
    }
}

static WORD_CLASS: [W; 128] = crate::byte_table!(W, W::Other, word_class, 128);

fn wc(b: Option<&u8>) -> W {
    match b {
        Some(&b) if b < 128 => WORD_CLASS[b as usize],
        _ => W::Other,
    }
}

/// Whether UAX #29 puts a word boundary between `s[i - 1]` and `s[i]`, for an all-ASCII
/// `s` whose neighbours outside are spaces or text ends (so that they join nothing).
fn word_break(s: &[u8], i: usize) -> bool {
    use W::*;
    let (l, r) = (wc(s.get(i - 1)), wc(s.get(i)));
    let mid_letter = |c: W| matches!(c, MidLetter | MidNumLet | SingleQuote);
    let mid_num = |c: W| matches!(c, MidNum | MidNumLet | SingleQuote);
    match (l, r) {
        (Cr, Lf) => false,                                                   // WB3
        (Cr | Lf | Newline, _) | (_, Cr | Lf | Newline) => true,             // WB3a, WB3b
        (Space, Space) => false,                                             // WB3d
        (Letter, Letter) => false,                                           // WB5
        (Letter, m) if mid_letter(m) && wc(s.get(i + 1)) == Letter => false, // WB6
        (m, Letter) if mid_letter(m) && i >= 2 && wc(s.get(i - 2)) == Letter => false, // WB7
        (Numeric, Numeric) | (Letter, Numeric) | (Numeric, Letter) => false, // WB8-10
        (m, Numeric) if mid_num(m) && i >= 2 && wc(s.get(i - 2)) == Numeric => false, // WB11
        (Numeric, m) if mid_num(m) && wc(s.get(i + 1)) == Numeric => false,  // WB12
        (Letter | Numeric | ExtendNumLet, ExtendNumLet) => false,            // WB13a
        (ExtendNumLet, Letter | Numeric) => false,                           // WB13b
        _ => true,                                                           // WB999
    }
}

/// Word-boundary segments of `s` with their byte offsets: the same as
/// `s.split_word_bound_indices()`, faster on ASCII.
pub fn word_bound_indices(s: &str) -> WordBounds<'_> {
    WordBounds { s, pos: 0, stretch: 0, slow: None }
}

/// Iterator of [`word_bound_indices`].
pub struct WordBounds<'a> {
    s: &'a str,
    pos: usize,
    /// End of the all-ASCII stretch `pos` is in.
    stretch: usize,
    /// A non-ASCII stretch being segmented by unicode-segmentation, with its offset.
    slow: Option<(usize, UWordBoundIndices<'a>)>,
}

impl<'a> WordBounds<'a> {
    /// Makes `self.pos` the start of an all-ASCII stretch (`pos..stretch`) or of a
    /// non-ASCII stretch handed to unicode-segmentation (`self.slow`). False at the end.
    fn enter_stretch(&mut self) -> bool {
        let bytes = self.s.as_bytes();
        let start = self.pos;
        if start >= bytes.len() {
            return false;
        }
        if start < self.stretch {
            return true;
        }
        // The text is cut into stretches at spaces next to ASCII bytes other than spaces:
        // UAX #29 always breaks there and no rule looks across such a cut, so each stretch
        // can be segmented alone. A stretch with non-ASCII bytes goes the slow way.
        // The next stretch: all ASCII up to the last cut before the next non-ASCII byte, or,
        // when no cut lies in between, the stretch around that byte.
        let next_non_ascii =
            bytes[start..].iter().position(|b| !b.is_ascii()).map_or(bytes.len(), |q| start + q);
        let mut cut = next_non_ascii;
        if cut < bytes.len() {
            while cut > start && !is_cut(bytes, cut) {
                cut -= 1;
            }
        }
        if cut > start {
            self.stretch = cut;
        } else {
            let end = stretch_end(bytes, start);
            self.slow = Some((start, self.s[start..end].split_word_bound_indices()));
            self.pos = end;
            self.stretch = end;
        }
        true
    }

    /// The segment of the ASCII stretch starting at `start` (a segment start).
    fn ascii_segment(&mut self, start: usize) -> (usize, &'a str) {
        let bytes = self.s.as_bytes();
        let end = self.stretch;
        let mut i = start + 1;
        while i < end {
            let (l, r) = (bytes[i - 1], bytes[i]);
            // Letters and digits never break between themselves (WB5, WB8-10).
            if l.is_ascii_alphanumeric() && r.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            // A space joins only another space (WB3d), and nothing joins a following space.
            if (l == b' ') != (r == b' ') {
                break;
            }
            if word_break(&bytes[..end], i) {
                break;
            }
            i += 1;
        }
        // `word_break` sees only `..end`: beyond the cut lies a space, which joins nothing
        // the rules look for (letters, digits), so treating it as the text end is exact.
        self.pos = i;
        (start, &self.s[start..i])
    }

    /// The next segment from the slow (non-ASCII) stretch, if one is under way.
    fn next_slow(&mut self) -> Option<(usize, &'a str)> {
        let (base, it) = self.slow.as_mut()?;
        match it.next() {
            Some((off, w)) => Some((*base + off, w)),
            None => {
                self.slow = None;
                None
            }
        }
    }
}

impl<'a> Iterator for WordBounds<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        loop {
            if let Some(seg) = self.next_slow() {
                return Some(seg);
            }
            if !self.enter_stretch() {
                return None;
            }
            if self.slow.is_none() {
                return Some(self.ascii_segment(self.pos));
            }
        }
    }
}

/// The words of `s` with their byte offsets: the segments of [`word_bound_indices`] that
/// contain a letter or digit ([`crate::corpus::is_word`]), found faster by skipping the
/// spaces and punctuation between words without making segments of them.
pub fn word_indices(s: &str) -> Words<'_> {
    word_indices_of(s, is_ascii(s.as_bytes()))
}

/// [`word_indices`] of `s`, whose ASCII-ness the caller knows (segmentation checks each
/// line once, not each sentence again).
pub(crate) fn word_indices_of(s: &str, ascii: bool) -> Words<'_> {
    debug_assert_eq!(ascii, s.is_ascii());
    // Plain text (ASCII letters, digits, spaces and punctuation other than `_`, and the
    // typographic punctuation of [`PLAIN_PUNCTUATION`]: most sentences) needs no stretches:
    // every word is a chain of runs (see [`Words::next`]).
    Words { bounds: word_bound_indices(s), plain: is_plain(s, ascii) }
}

/// Non-ASCII characters that UAX #29 breaks words around on both sides and that no rule
/// joins to anything (Word_Break Other): the typographic double quotes, guillemets, dashes
/// and ellipsis of news text. Between words they act as an ASCII `#` does. The single
/// quotes are not among them: U+2019 is also the apostrophe, which joins letters.
const PLAIN_PUNCTUATION: [char; 8] =
    ['\u{201C}', '\u{201D}', '\u{201E}', '\u{AB}', '\u{BB}', '\u{2013}', '\u{2014}', '\u{2026}'];

/// Whether `s`, all ASCII or not as `ascii` says, is plain: without `_`, and ASCII but for
/// [`PLAIN_PUNCTUATION`]; text whose words [`next_plain_word`] finds (they are all ASCII).
#[inline]
pub(crate) fn is_plain(s: &str, ascii: bool) -> bool {
    memchr::memchr(b'_', s.as_bytes()).is_none()
        && (ascii || s.chars().all(|c| c.is_ascii() || PLAIN_PUNCTUATION.contains(&c)))
}

/// The first word of plain text `b` (see [`is_plain`]) at or after `i`, as a byte range: a
/// chain of runs of letters and digits (see [`alnum_chain`]); what lies between words is
/// skipped. A loop over this inlines into its caller where the [`Words`] iterator would be a
/// call per word, with its state kept in memory.
#[inline(always)]
pub(crate) fn next_plain_word(b: &[u8], mut i: usize) -> Option<(usize, usize)> {
    while i < b.len() && !b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    (i < b.len()).then(|| (i, alnum_chain(b, i)))
}

/// Whether `b` is all ASCII: the standard test, eight bytes at a time to the very end. The
/// standard library's ends its vector loop with a byte loop over up to 63 bytes, most of a
/// sentence, and segmentation tests every line.
pub(crate) fn is_ascii(b: &[u8]) -> bool {
    let chunks = b.chunks_exact(8);
    let tail = swar::load(chunks.remainder(), 0);
    let high = chunks.fold(tail, |acc, c| acc | swar::load(c, 0));
    high & 0x8080_8080_8080_8080 == 0
}

/// Iterator of [`word_indices`].
pub struct Words<'a> {
    bounds: WordBounds<'a>,
    /// Whether the text is plain ([`is_plain`]).
    plain: bool,
}

impl<'a> Iterator for Words<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let it = &mut self.bounds;
        if self.plain {
            let Some((i, end)) = next_plain_word(it.s.as_bytes(), it.pos) else {
                it.pos = it.s.len();
                return None;
            };
            it.pos = end;
            return Some((i, &it.s[i..end]));
        }
        loop {
            if let Some(seg) = it.next_slow() {
                if crate::corpus::is_word(seg.1) {
                    return Some(seg);
                }
                continue;
            }
            if !it.enter_stretch() {
                return None;
            }
            if it.slow.is_some() {
                continue;
            }
            // At a segment start in an ASCII stretch, a byte other than a letter, digit or
            // `_` is a segment without a letter or digit: MidLetter and MidNum bytes join
            // only after a letter or digit (WB6-7, WB11-12), which the previous segment
            // would have taken, and only `_` joins a following letter (WB13b). So such bytes
            // are skipped; a run of spaces or CR LF is one segment, skipped just the same.
            let bytes = it.s.as_bytes();
            let mut i = it.pos;
            while i < it.stretch && !(bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            it.pos = i;
            if i == it.stretch {
                continue;
            }
            if bytes[i] != b'_' {
                // Runs of letters and digits joined across single middle bytes (see
                // [`count_ascii_words`]); a `_` at the end may join more, so the general
                // rules take over there.
                let end = alnum_chain(&bytes[..it.stretch], i);
                if bytes.get(end) != Some(&b'_') {
                    it.pos = end;
                    return Some((i, &it.s[i..end]));
                }
            }
            let seg = it.ascii_segment(i);
            if bytes[i] != b'_' || crate::corpus::is_word(seg.1) {
                return Some(seg);
            }
        }
    }
}

/// The number of runs of ASCII letters and digits in `b`.
pub(crate) fn alnum_runs(b: &[u8]) -> usize {
    alnum_stats(b).1
}

/// The number of ASCII letters and digits in `b`, and of their runs, in one pass.
pub(crate) fn alnum_stats(b: &[u8]) -> (usize, usize) {
    let Some(&first) = b.first() else { return (0, 0) };
    let first = usize::from(alnum_bit(first));
    // Byte-wide counters over chunks of at most 255 pairs let the loop run on vectors.
    let pairs = b.len() - 1;
    let (mut alnum, mut runs) = (first, first);
    for at in (0..pairs).step_by(255) {
        let end = (at + 255).min(pairs);
        let (l, r) = (&b[at..end], &b[at + 1..end + 1]);
        let (mut n, mut starts) = (0u8, 0u8);
        for (&x, &y) in l.iter().zip(r) {
            let (x, y) = (alnum_bit(x), alnum_bit(y));
            n += u8::from(y);
            starts += u8::from(y & !x);
        }
        alnum += usize::from(n);
        runs += usize::from(starts);
    }
    (alnum, runs)
}

/// Whether `c` is an ASCII letter or digit, in arithmetic that compiles to vector code.
#[inline]
pub(crate) fn alnum_bit(c: u8) -> bool {
    ((c | 0x20).wrapping_sub(b'a') < 26) | (c.wrapping_sub(b'0') < 10)
}

/// The end of the word starting at letter or digit `b[i]`: runs of letters and digits joined
/// by `.`, `:` or `'` between letters and `.`, `,`, `;` or `'` between digits (WB6-7,
/// WB11-12). Stops before a `_`, which the caller handles.
#[inline(always)]
fn alnum_chain(b: &[u8], mut i: usize) -> usize {
    loop {
        i = swar::alnum_run_end(b, i);
        if i + 1 < b.len() && joins_across(b[i - 1], b[i], b[i + 1]) {
            i += 1;
            continue;
        }
        return i;
    }
}

/// Tests on eight bytes at once, packed into a `u64` ("SIMD within a register"): words of
/// news text are mostly under eight bytes, so a word's end is found in one step instead of
/// a loop over its bytes that mispredicts its exit.
pub(crate) mod swar {
    const LO: u64 = 0x0101_0101_0101_0101;
    /// The high bit of every byte: set in a byte that is not ASCII.
    pub const HI: u64 = 0x8080_8080_8080_8080;

    /// The eight bytes of `b` from `i`, `b[i]` lowest (fewer at the end, padded with zero
    /// bytes).
    #[inline]
    pub fn load(b: &[u8], i: usize) -> u64 {
        let eight = |c: &[u8]| c.try_into().map_or(0, u64::from_le_bytes);
        if let Some(c) = b.get(i..i + 8) {
            return eight(c);
        }
        let n = b.len();
        if i >= n {
            return 0;
        }
        if n >= 8 {
            // The last eight bytes, shifted down: no byte-wise copy for the store to stall on.
            return eight(&b[n - 8..]) >> (8 * (i + 8 - n));
        }
        b[i..].iter().rev().fold(0, |x, &c| (x << 8) | u64::from(c))
    }

    /// The high bit of each byte of `x` that is an ASCII byte in `lo..=hi` (`lo >= 1`).
    /// The sums cannot carry from one byte into the next: every byte is below 0x80 first.
    #[inline]
    fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
        let x7 = x & !HI;
        let at_least_lo = x7 + LO * u64::from(0x80 - lo);
        let above_hi = x7 + LO * u64::from(0x7f - hi);
        at_least_lo & !above_hi & !x & HI
    }

    /// The high bit of each byte of `x` that is an ASCII letter or digit.
    #[inline]
    pub fn alnum(x: u64) -> u64 {
        in_range(x | (LO * 0x20), b'a', b'z') | in_range(x, b'0', b'9')
    }

    /// `x` with its ASCII capitals made lower case.
    #[inline]
    pub fn lower(x: u64) -> u64 {
        x | (in_range(x, b'A', b'Z') >> 2)
    }

    /// The end of the run of ASCII letters and digits in `b` from `i` (`i` itself if
    /// `b[i]` is none).
    #[inline]
    pub fn alnum_run_end(b: &[u8], mut i: usize) -> usize {
        loop {
            // Padding bytes are zero, not letters: the run stops at the end of `b`.
            let stop = !alnum(load(b, i)) & HI;
            if stop != 0 {
                return i + stop.trailing_zeros() as usize / 8;
            }
            i += 8;
        }
    }
}

/// Whether `mid` joins the letters or digits `l` and `r` into one word (WB6-7, WB11-12).
fn joins_across(l: u8, mid: u8, r: u8) -> bool {
    let letters = || l.is_ascii_alphabetic() && r.is_ascii_alphabetic();
    let digits = || l.is_ascii_digit() && r.is_ascii_digit();
    match mid {
        b':' => letters(),
        b',' | b';' => digits(),
        b'.' | b'\'' => letters() || digits(),
        _ => false,
    }
}

/// The number of [`word_indices`] of an all-ASCII `s`, without making segments. Each run of
/// letters and digits starts a word, except where UAX #29 joins it to the run before:
/// across `.`, `:` or `'` between two letters (WB6-7), across `.`, `,`, `;` or `'` between
/// two digits (WB11-12), and across a run of `_` (WB13a-b). Nothing else joins a letter or
/// digit, so the count is the runs less the joins; the runs are counted in one branch-free
/// pass, the joins at the few bytes that can make them.
pub fn count_ascii_words(s: &str) -> usize {
    alnum_runs(s.as_bytes()) - ascii_joins(s)
}

/// The joins of [`count_ascii_words`]: where UAX #29 joins a run of ASCII letters and digits
/// to the run before.
pub(crate) fn ascii_joins(s: &str) -> usize {
    debug_assert!(s.is_ascii());
    let b = s.as_bytes();
    if b.len() < 3 {
        return 0;
    }
    let alnum = |c: u8| c.is_ascii_alphanumeric();
    // Only bytes between the first and the last can join; the few that can are found with
    // memchr rather than a test of every byte.
    let inner = &b[1..b.len() - 1];
    let punct = memchr::memchr3_iter(b'.', b',', b'\'', inner)
        .chain(memchr::memchr2_iter(b':', b';', inner));
    let mut joins = punct.filter(|&k| joins_across(b[k], b[k + 1], b[k + 2])).count();
    for j in memchr::memchr_iter(b'_', inner).map(|k| k + 1) {
        // A run of `_` after a letter or digit joins it to one right after the run.
        if alnum(b[j - 1]) {
            let end = j + b[j..].iter().take_while(|&&x| x == b'_').count();
            joins += usize::from(end < b.len() && alnum(b[end]));
        }
    }
    joins
}

/// Whether a cut lies before `b[i]`: between a space and an ASCII byte that is not a space,
/// either way round.
fn is_cut(b: &[u8], i: usize) -> bool {
    let (l, r) = (b[i - 1], b[i]);
    l.is_ascii() && r.is_ascii() && (l == b' ') != (r == b' ')
}

/// End of the stretch starting at `start`: the first cut after it.
fn stretch_end(b: &[u8], start: usize) -> usize {
    (start + 1..b.len()).find(|&i| is_cut(b, i)).unwrap_or(b.len())
}

/// An ASCII byte with the sentence break class of `c` (UAX #29, table 4), for ASCII and for
/// the non-ASCII characters common in news text: typographic quotes (Close), no-break and
/// thin spaces (Sp), en and em dashes (SContinue), the ellipsis (Other) and the cased
/// letters of Latin, Greek and Cyrillic (Lower: Lowercase; Upper: Uppercase). `None` for
/// any other character, whose class is left to unicode-segmentation.
fn sentence_stand_in(c: char) -> Option<u8> {
    match c {
        _ if c.is_ascii() => Some(c as u8),
        '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{AB}' | '\u{BB}'
        | '\u{2039}' | '\u{203A}' => Some(b'"'),
        '\u{A0}' | '\u{2009}' | '\u{202F}' => Some(b' '),
        '\u{2013}' | '\u{2014}' => Some(b'-'),
        '\u{2026}' => Some(b'#'),
        // Titlecase letters (both or neither) and uncased letters are left out.
        '\u{C0}'..='\u{24F}' | '\u{370}'..='\u{4FF}' => {
            match (c.is_lowercase(), c.is_uppercase()) {
                (true, false) => Some(b'a'),
                (false, true) => Some(b'A'),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Sentence break classes of ASCII bytes (UAX #29, table 4).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sb {
    Sep,
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
    Other,
}

const fn sentence_class(b: u8) -> Sb {
    match b {
        b'\r' | b'\n' => Sb::Sep,
        b'\t' | 0x0B | 0x0C | b' ' => Sb::Sp,
        b'a'..=b'z' => Sb::Lower,
        b'A'..=b'Z' => Sb::Upper,
        b'0'..=b'9' => Sb::Numeric,
        b'.' => Sb::ATerm,
        b'!' | b'?' => Sb::STerm,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Sb::Close,
        b',' | b'-' | b':' | b';' => Sb::SContinue,
        _ => Sb::Other,
    }
}

static SENTENCE_CLASS: [Sb; 128] = crate::byte_table!(Sb, Sb::Other, sentence_class, 128);

/// Sentence-boundary segments of `s` with their byte offsets: the same as
/// `s.split_sentence_bound_indices()`, faster when `s` is ASCII.
pub fn sentence_bound_indices(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    sentence_bounds_into(s, &mut out);
    out
}

/// [`sentence_bound_indices`], appended to `out`: segmentation reuses one buffer for every
/// line of a text.
pub(crate) fn sentence_bounds_into<'a>(s: &'a str, out: &mut Vec<(usize, &'a str)>) {
    sentence_bounds_of(s, is_ascii(s.as_bytes()), out)
}

/// [`sentence_bounds_into`] for `s` whose ASCII-ness the caller knows.
pub(crate) fn sentence_bounds_of<'a>(s: &'a str, ascii: bool, out: &mut Vec<(usize, &'a str)>) {
    use Sb::*;
    debug_assert_eq!(ascii, s.is_ascii());
    let base = out.len();
    let slow = |out: &mut Vec<(usize, &'a str)>| {
        out.truncate(base);
        out.extend(s.split_sentence_bound_indices());
    };
    // Text with non-ASCII characters runs on a stand-in of the same length when every such
    // character has a known class (see [`sentence_stand_in`]).
    let shadow: std::borrow::Cow<[u8]> = if ascii {
        std::borrow::Cow::Borrowed(s.as_bytes())
    } else {
        let mut v = Vec::with_capacity(s.len());
        for c in s.chars() {
            match sentence_stand_in(c) {
                Some(b) => v.extend(std::iter::repeat_n(b, c.len_utf8())),
                None => return slow(out),
            }
        }
        std::borrow::Cow::Owned(v)
    };
    let b = &shadow[..];
    let class = |i: usize| SENTENCE_CLASS[b[i] as usize];
    let mut start = 0;
    // `SATerm Close* Sp*` ending just before the current position: the terminator's index
    // and class, and whether spaces follow it. Kept as we go so that no rule looks back.
    let mut pending: Option<(usize, Sb, bool)> = None;
    // Index of the next Upper, Lower, ParaSep or SATerm at or after the position (SB8).
    let mut strong = 0;
    // With no terminator pending, only a separator breaks (SB4), so the scan jumps to the
    // byte after the next terminator or separator. Lines rarely hold separators: look for
    // them only when there are some.
    let separators = memchr::memchr2(b'\r', b'\n', b).is_some();
    let next_stop = |from: usize| match separators {
        false => memchr::memchr3(b'.', b'!', b'?', &b[from..]),
        true => b[from..].iter().position(|c| matches!(c, b'.' | b'!' | b'?' | b'\r' | b'\n')),
    };
    let mut i = 0;
    while i + 1 < b.len() {
        i += 1;
        if pending.is_none() {
            match next_stop(i - 1) {
                Some(p) if i + p < b.len() => i += p,
                _ => break,
            }
        }
        let prev = class(i - 1);
        pending = match (prev, pending) {
            (ATerm | STerm, _) => Some((i - 1, prev, false)),
            (Close, Some((t, c, false))) => Some((t, c, false)),
            (Sp, Some((t, c, _))) => Some((t, c, true)),
            _ => None,
        };
        let r = class(i);
        let split = if b[i - 1] == b'\r' && b[i] == b'\n' {
            false // SB3
        } else if prev == Sep {
            true // SB4
        } else if let Some((t, term, spaces)) = pending {
            let at_term = t == i - 1;
            let sb6 = at_term && r == Numeric;
            let sb7 = at_term && r == Upper && i >= 2 && matches!(class(i - 2), Upper | Lower);
            let sb8 = {
                if strong < i {
                    strong = i;
                    while strong < b.len()
                        && !matches!(class(strong), Upper | Lower | Sep | ATerm | STerm)
                    {
                        strong += 1;
                    }
                }
                strong < b.len() && class(strong) == Lower
            };
            let aterm_rules = term == ATerm && (sb6 || sb7 || sb8);
            let sb8a = matches!(r, SContinue | ATerm | STerm);
            let sb9 = !spaces && r == Close;
            let sb10 = matches!(r, Sp | Sep); // also SB9's Sp and ParaSep
            !(aterm_rules || sb8a || sb9 || sb10) // else SB11
        } else {
            false // SB998
        };
        if split {
            // A stand-in's bytes all have one class, and no rule breaks between two bytes
            // of one class; the check keeps a mistake in that argument from cutting a
            // character.
            if !s.is_char_boundary(i) {
                return slow(out);
            }
            out.push((start, &s[start..i]));
            start = i;
        }
    }
    if start < b.len() {
        out.push((start, &s[start..]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same(s: &str) {
        let fast: Vec<(usize, &str)> = word_bound_indices(s).collect();
        let slow: Vec<(usize, &str)> = s.split_word_bound_indices().collect();
        assert_eq!(fast, slow, "words of {s:?}");
        let words: Vec<(usize, &str)> = word_indices(s).collect();
        let slow_words: Vec<(usize, &str)> =
            slow.into_iter().filter(|(_, w)| crate::corpus::is_word(w)).collect();
        assert_eq!(words, slow_words, "word segments of {s:?}");
        if s.is_ascii() {
            assert_eq!(count_ascii_words(s), words.len(), "word count of {s:?}");
        }
        let fast = sentence_bound_indices(s);
        let slow: Vec<(usize, &str)> = s.split_sentence_bound_indices().collect();
        assert_eq!(fast, slow, "sentences of {s:?}");
    }

    #[test]
    fn known_cases() {
        for s in [
            "",
            " ",
            "U.S.-led talks on Oct. 29, 2020: 3.5% of 1,000 didn't fail.",
            "He said \"No.\" Then (he left.) Then... ok? Yes! no. A.B. c",
            "a_b __ 9_x x:y x: y 1;2 1; 2 'quoted' it's",
            "line\r\nbreak\rcr\nlf\x0bvt  two  spaces\ttab",
            "Armenia’s café “quoted” e\u{301} a\u{200d}b 🇦🇲🇦🇿 x\u{3000} y",
            "etc.) The end.  \"Next.\"  Last",
        ] {
            same(s);
        }
    }

    /// Every seed and fixture text, whole and line by line.
    #[test]
    fn equals_unicode_segmentation_on_real_text() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push(p);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("seeds"), &mut files);
        walk(&root.join("tests/fixtures"), &mut files);
        let mut checked = 0;
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else { continue };
            same(&text);
            text.lines().for_each(same);
            checked += 1;
        }
        assert!(checked > 20, "only {checked} texts found");
    }

    fn ascii_soup() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop::sample::select(vec![
                "a", "Z", "q", "7", "0", ":", ".", ",", ";", "'", "\"", "_", " ", " ", "\r", "\n",
                "\t", "-", "!", "?", "(", ")", "x", "Ab", "\x0b", "$",
            ]),
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    fn mixed_soup() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop::sample::select(vec![
                "a", "Z", "7", ":", ".", ",", "'", "\"", "_", " ", " ", "\n", "!", "é", "’", "‘",
                "“", "”", "\u{301}", "\u{200d}", "\u{3000}", "🇦", "😀", "–", "«", "»", "\u{a0}",
                "Ж", "ж", "。", "…", "\u{ad}",
            ]),
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    /// Every character with a sentence stand-in, in every position the sentence rules look
    /// at: before and after terminators, spaces, closing quotes and capitals.
    #[test]
    fn stand_ins_equal_unicode_segmentation_around_terminators() {
        let chars = ('\u{80}'..='\u{4FF}')
            .chain("\u{2018}\u{2019}\u{201C}\u{201D}\u{201E}\u{2039}\u{203A}\u{2009}\u{202F}\u{2013}\u{2014}\u{2026}".chars());
        let templates = [
            "a. {} b",
            "A{}. B",
            "x.{} y",
            "{}. a",
            "{}. A",
            "end.{}",
            "U.S.{} Then",
            "a?{} b",
            "He said. {}B",
            "He said.{}{} b",
            "a. \"{} b",
            "a {}. 2",
            "a.{}\u{a0}b",
            "Oct. {}29",
        ];
        let mut with = 0;
        for c in chars {
            with += usize::from(sentence_stand_in(c).is_some());
            for t in templates {
                same(&t.replace("{}", &c.to_string()));
            }
        }
        assert!(with > 500, "only {with} characters have stand-ins");
    }

    fn news_soup() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop::sample::select(vec![
                "a", "Z", "7", ".", ".", "?", "!", " ", " ", "\n", ",", ":", ";", "-", "(", ")",
                "\"", "'", "é", "É", "ж", "Ж", "ß", "ς", "Σ", "ǅ", "ǀ", "ı", "İ", "ͺ", "\u{483}",
                "’", "‘", "“", "”", "„", "«", "»", "\u{a0}", "\u{2009}", "–", "—", "…", "×",
                "\u{301}", "\u{2028}", "。", "€",
            ]),
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20000))]
        #[test]
        fn equals_unicode_segmentation_on_news_punctuation(s in news_soup()) {
            same(&s);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn equals_unicode_segmentation_on_ascii(s in ascii_soup()) {
            same(&s);
        }

        #[test]
        fn equals_unicode_segmentation_on_mixed(s in mixed_soup()) {
            same(&s);
        }

        #[test]
        fn equals_unicode_segmentation_on_any(s in "\\PC{0,60}") {
            same(&s);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// One pass counts the letters and digits and their runs as a plain loop does, over
        /// lengths that cross the 255-byte chunks.
        #[test]
        fn alnum_stats_counts_bytes_and_runs(b in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b' '), Just(b'7'), Just(b'.'), any::<u8>()], 0..700)) {
            let alnum = b.iter().filter(|c| c.is_ascii_alphanumeric()).count();
            let runs = (0..b.len())
                .filter(|&i| b[i].is_ascii_alphanumeric() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()))
                .count();
            prop_assert_eq!(alnum_stats(&b), (alnum, runs));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// The eight-byte tests equal the same tests byte by byte, on any bytes.
        #[test]
        fn is_ascii_equals_the_standard_test(b in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b' '), any::<u8>()], 0..90)) {
            prop_assert_eq!(is_ascii(&b), b.is_ascii());
        }

        #[test]
        fn swar_equals_bytewise(b in proptest::collection::vec(any::<u8>(), 0..24), at in 0usize..25) {
            let i = at.min(b.len());
            let bytes: Vec<u8> = (0..8).map(|k| b.get(i + k).copied().unwrap_or(0)).collect();
            let x = swar::load(&b, i);
            prop_assert_eq!(x.to_le_bytes().to_vec(), bytes.clone());
            let lowered: Vec<u8> = bytes.iter().map(u8::to_ascii_lowercase).collect();
            prop_assert_eq!(swar::lower(x).to_le_bytes().to_vec(), lowered);
            let end = (i..b.len()).find(|&k| !b[k].is_ascii_alphanumeric()).unwrap_or(b.len());
            prop_assert_eq!(swar::alnum_run_end(&b, i), end);
        }
    }
}
