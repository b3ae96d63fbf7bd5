//! Term counts per group that stay within a fixed memory budget whatever the size of the
//! corpus: counts are appended to a buffer, and a full buffer is sorted and summed, and
//! spilled to a temporary file as one sorted run if it is still more than half full.
//! Ranking reads the runs back one shard at a time and merges them, so each term's counts
//! in every group arrive together, without a hash map of the whole vocabulary. This is what
//! lets `keyness` count hundreds of thousands of articles: the distinct (group, bigram)
//! pairs of such a corpus number tens of millions.
//!
//! Runs are sorted by a *mixed* key (the term's id times an odd constant, a bijection), whose
//! top bits spread the terms evenly over [`SHARDS`] shards; a shard is a contiguous part of
//! every run. A count never exceeds 32 bits in an entry; a larger count is kept as several
//! entries of the same term and group, which the merge adds up in 64 bits.

use super::TermId;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::collections::binary_heap::{BinaryHeap, PeekMut};
use std::fs::File;
use std::io::{self, BufWriter, Write};

/// Shards of the terms: ranking works on one shard at a time per thread.
pub const SHARDS: usize = 16;

/// Entries held in memory before a spill, by default: 3 × 2^20 entries of 16 bytes (48 MB).
/// Sorting a full buffer amortises over many batches; a smaller buffer means more runs to
/// merge when ranking.
pub const DEFAULT_BUDGET: usize = 3 << 20;

/// Odd, so that multiplying by it permutes the u64s; its inverse undoes the mix.
const MIX: u64 = 0x9E37_79B9_7F4A_7C15;
const UNMIX: u64 = inverse(MIX);

/// The inverse of an odd `a` modulo 2^64, by Newton's iteration: `a` is its own inverse
/// modulo 8, and each step doubles the number of correct low bits (3, 6, … 96).
const fn inverse(a: u64) -> u64 {
    let mut x = a;
    let mut i = 0;
    while i < 5 {
        x = x.wrapping_mul(2u64.wrapping_sub(a.wrapping_mul(x)));
        i += 1;
    }
    x
}

fn mix(t: TermId) -> u64 {
    t.0.wrapping_mul(MIX)
}

fn unmix(key: u64) -> TermId {
    TermId(key.wrapping_mul(UNMIX))
}

fn shard_of(key: u64) -> usize {
    (key >> 60) as usize
}

/// One count: a term (mixed) of a group (its index in [`Counts`]). Runs are sorted by
/// [`Entry::order`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    key: u64,
    group: u32,
    count: u32,
}

impl Entry {
    /// The sort key of runs: term, then group. The count is left out (equal terms of a group
    /// are summed after sorting), and one 128-bit comparison sorts faster than three fields.
    fn order(&self) -> u128 {
        (u128::from(self.key) << 32) | u128::from(self.group)
    }
}

/// Counts of one group, sorted into shards apart from any [`Counts`], for
/// [`Counts::append`].
pub(super) struct Sharded {
    group: u32,
    total: u64,
    shards: Vec<Vec<Entry>>,
}

impl Sharded {
    /// The counts of `terms` in the group of index `group` (from [`Counts::group`]).
    pub(super) fn new(group: u32, terms: impl IntoIterator<Item = (TermId, u64)>) -> Sharded {
        let mut shards = vec![Vec::new(); SHARDS];
        let mut total = 0u64;
        for (term, n) in terms {
            total = total.saturating_add(n);
            let key = mix(term);
            let shard: &mut Vec<Entry> = &mut shards[shard_of(key)];
            shard.extend(split32(n).map(|count| Entry { key, group, count }));
        }
        Sharded { group, total, shards }
    }

    /// The counts of a group's term occurrences, one item per occurrence, in any order:
    /// sorted and counted in runs, which costs less than counting each occurrence in a hash
    /// map once the distinct terms outgrow the caches (a writer's bigrams do).
    pub(super) fn from_occurrences(
        group: u32,
        occurrences: impl IntoIterator<Item = TermId>,
    ) -> Sharded {
        let keys: Vec<u64> = occurrences.into_iter().map(mix).collect();
        let keys = bucket_sorted(&keys, |&k| k, |&k| k);
        let runs = keys.chunk_by(|a, b| a == b).map(|r| (unmix(r[0]), r.len() as u64));
        Sharded::new(group, runs)
    }
}

/// Term → count per group, for terms of one kind (unigrams or bigrams). See the module docs.
#[derive(Debug)]
pub struct Counts {
    /// Group names by index, in the order first seen.
    names: Vec<String>,
    index: FxHashMap<String, u32>,
    /// Sum of each group's counts.
    totals: Vec<u64>,
    /// Entries not yet spilled, by shard, in no order: sorting one shard at a time keeps
    /// each sort within the cache, and the shards sort in parallel.
    held: Vec<Vec<Entry>>,
    /// Entries in `held`.
    holding: usize,
    /// Spilled runs, if any.
    spill: Option<Spill>,
    budget: usize,
    /// Where runs are written: the system's temporary folder when `None`.
    dir: Option<std::path::PathBuf>,
    /// Why spilling failed, if it did: the counts then stay in memory.
    failed: Option<String>,
}

impl Default for Counts {
    fn default() -> Self {
        Counts::with_budget(DEFAULT_BUDGET)
    }
}

impl Counts {
    /// Counts that spill once `budget` entries (16 bytes each) are held in memory.
    pub fn with_budget(budget: usize) -> Self {
        Counts {
            names: Vec::new(),
            index: FxHashMap::default(),
            totals: Vec::new(),
            held: vec![Vec::new(); SHARDS],
            holding: 0,
            spill: None,
            budget: budget.max(1),
            dir: None,
            failed: None,
        }
    }

    /// The same counts, spilling into `dir` instead of the system's temporary folder.
    pub fn in_dir(self, dir: std::path::PathBuf) -> Self {
        Counts { dir: Some(dir), ..self }
    }

    /// Adds `n` occurrences of `term` to `group`.
    pub fn add(&mut self, group: &str, term: TermId, n: u64) {
        self.extend(group, [(term, n)]);
    }

    /// Adds occurrences of terms to `group`.
    pub fn extend(&mut self, group: &str, terms: impl IntoIterator<Item = (TermId, u64)>) {
        let g = self.group(group);
        for (term, n) in terms {
            self.totals[g as usize] = self.totals[g as usize].saturating_add(n);
            let key = mix(term);
            for count in split32(n) {
                self.push(Entry { key, group: g, count });
            }
        }
    }

    /// The index of `group`, which is added if it is new.
    pub(super) fn group(&mut self, group: &str) -> u32 {
        if let Some(&g) = self.index.get(group) {
            return g;
        }
        let g = u32::try_from(self.names.len()).expect("fewer than 2^32 groups");
        self.names.push(group.to_string());
        self.index.insert(group.to_string(), g);
        self.totals.push(0);
        g
    }

    /// Adds counts that were sorted into shards beforehand ([`Sharded::new`], which needs no
    /// access to these counts and so runs in parallel): the same as [`Counts::extend`] with
    /// their terms, spilling whenever the budget is reached. Counts that fit the budget are
    /// copied into the shards in parallel, one shard per task.
    pub(super) fn append_all(&mut self, parts: Vec<Sharded>) {
        for p in &parts {
            let g = p.group as usize;
            self.totals[g] = self.totals[g].saturating_add(p.total);
        }
        let incoming: usize = parts.iter().flat_map(|p| &p.shards).map(Vec::len).sum();
        if self.holding + incoming >= self.budget {
            parts.iter().for_each(|p| self.hold(&p.shards));
            return;
        }
        let budget = self.budget;
        self.held.par_iter_mut().enumerate().for_each(|(s, held)| {
            reserve_once(held, budget);
            for p in &parts {
                held.extend_from_slice(&p.shards[s]);
            }
        });
        self.holding += incoming;
    }

    /// Holds one group's entries, shard by shard, spilling whenever the budget is reached.
    fn hold(&mut self, shards: &[Vec<Entry>]) {
        for (s, entries) in shards.iter().enumerate() {
            let mut rest = &entries[..];
            while !rest.is_empty() {
                let room = self.budget.saturating_sub(self.holding).max(1);
                let (now, later) = rest.split_at(room.min(rest.len()));
                self.shard_mut(s).extend_from_slice(now);
                self.holding += now.len();
                if self.holding >= self.budget {
                    self.full();
                }
                rest = later;
            }
        }
    }

    /// Held shard `s`, with room reserved on first use.
    fn shard_mut(&mut self, s: usize) -> &mut Vec<Entry> {
        let shard = &mut self.held[s];
        reserve_once(shard, self.budget);
        shard
    }

    fn push(&mut self, e: Entry) {
        self.shard_mut(shard_of(e.key)).push(e);
        self.holding += 1;
        if self.holding >= self.budget {
            self.full();
        }
    }

    /// Makes room in a full buffer: its entries are sorted and summed in place, and written
    /// to a new run only if that leaves the buffer more than half full. A term counted in many
    /// batches is then held once per group, not once per batch, and fewer, shorter runs are
    /// spilled.
    fn full(&mut self) {
        // Each shard is sorted and summed on its own, in parallel.
        self.held.par_iter_mut().for_each(|v| {
            sort_entries(v);
            sum_equal(v);
        });
        self.holding = self.held.iter().map(Vec::len).sum();
        if self.holding > self.budget / 2 {
            self.spill();
        }
    }

    /// Writes the held entries, sorted and summed, to a new run. On failure (no space for
    /// temporary files) the entries stay in memory, the budget grows to twice what they take,
    /// and counting goes on.
    fn spill(&mut self) {
        if self.failed.is_none() {
            let dir = self.dir.clone().unwrap_or_else(std::env::temp_dir);
            match Spill::add(&mut self.spill, &dir, &self.held) {
                Ok(()) => {
                    self.held.iter_mut().for_each(Vec::clear);
                    self.holding = 0;
                    return;
                }
                Err(e) => {
                    self.failed = Some(format!(
                        "cannot write temporary counts in {}: {e}; counting in memory \
                         instead (set TMPDIR to a writable folder with free space)",
                        dir.display()
                    ))
                }
            }
        }
        self.budget = self.budget.max(self.holding.saturating_mul(2));
    }

    /// Why counts could not be spilled to temporary files, if they could not.
    pub fn spill_failure(&self) -> Option<&str> {
        self.failed.as_deref()
    }

    /// Number of runs spilled to temporary files.
    pub fn spilled(&self) -> usize {
        self.spill.as_ref().map_or(0, |s| s.runs.len())
    }

    /// The groups, in the order first seen.
    pub fn groups(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// Total count of all groups (the corpus's `n`).
    pub fn grand_total(&self) -> u64 {
        self.totals.iter().fold(0, |a, &b| a.saturating_add(b))
    }

    /// Total count of a group (its `n^i`); 0 for an unknown group.
    pub fn total(&self, group: &str) -> u64 {
        self.index.get(group).map_or(0, |&g| self.totals[g as usize])
    }

    /// The count of `term` in `group` (0 if never counted). Reads the term's shard.
    pub fn get(&self, group: &str, term: TermId) -> io::Result<u64> {
        let Some(&g) = self.index.get(group) else { return Ok(0) };
        let mut found = 0;
        self.shard(shard_of(mix(term)), |t, counts| {
            if t == term {
                found = counts.iter().find(|&&(h, _)| h == g).map_or(0, |&(_, n)| n);
            }
        })?;
        Ok(found)
    }

    /// Every (group, term, count), in no particular order.
    pub fn each(&self, mut f: impl FnMut(&str, TermId, u64)) -> io::Result<()> {
        for s in 0..SHARDS {
            self.shard(s, |t, counts| {
                for &(g, n) in counts {
                    f(&self.names[g as usize], t, n);
                }
            })?;
        }
        Ok(())
    }

    /// Calls `f` once for each term of shard `s`, with its (group index, count) pairs in
    /// group order (each group once, counts summed). Terms come in no meaningful order.
    pub(super) fn shard(
        &self,
        s: usize,
        mut f: impl FnMut(TermId, &[(u32, u64)]),
    ) -> io::Result<()> {
        let held = bucket_sorted(&self.held[s], |e| e.key, Entry::order);
        let mut sources = vec![Source::Held(held.iter())];
        if let Some(spill) = &self.spill {
            sources.extend(spill.runs.iter().map(|r| Source::Run(r.open(&spill.file, s))));
        }
        let mut term: Option<u64> = None;
        let mut counts: Vec<(u32, u64)> = Vec::new();
        merge(sources, |key, group, n| {
            if term != Some(key) {
                if let Some(k) = term {
                    f(unmix(k), &counts);
                }
                counts.clear();
                term = Some(key);
            }
            counts.push((group, n));
        })?;
        if let Some(k) = term {
            f(unmix(k), &counts);
        }
        Ok(())
    }

    /// The index of each group of these counts in `groups` (sorted, holding them all).
    pub(super) fn positions(&self, groups: &[&str]) -> Vec<usize> {
        self.names
            .iter()
            .map(|g| groups.binary_search(&g.as_str()).expect("every group is listed"))
            .collect()
    }
}

/// Reserves room in an unused held shard. Shards fill evenly: room for a little more than
/// their share of the budget, so that doubling a full vector does not double the memory.
fn reserve_once(shard: &mut Vec<Entry>, budget: usize) {
    if shard.capacity() == 0 {
        shard.reserve_exact((budget / SHARDS) * 9 / 8 + 8);
    }
}

/// Sorts entries by [`Entry::order`] in place (see [`bucket_sorted`]).
fn sort_entries(v: &mut [Entry]) {
    if v.len() <= 1 << 10 {
        return v.sort_unstable_by_key(Entry::order);
    }
    let out = bucket_sorted(v, |e| e.key, Entry::order);
    v.copy_from_slice(&out);
}

/// The items of `v` sorted by `order`, whose leading part is `key`, a mixed key, in a new
/// vector. Mixed keys spread evenly over their high bits, so one counting pass puts the
/// items into buckets of a few each by those bits, in key order, and only the buckets are
/// sorted: several times faster than sorting the whole vector by comparisons, which was most
/// of the time of a spill.
fn bucket_sorted<T: Copy, O: Ord>(
    v: &[T],
    key: impl Fn(&T) -> u64,
    order: impl Fn(&T) -> O,
) -> Vec<T> {
    if v.len() <= 1 << 10 {
        let mut out = v.to_vec();
        out.sort_unstable_by_key(order);
        return out;
    }
    // About eight items a bucket, by the top bits of the key's distance from the least.
    let lo = v.iter().map(&key).min().unwrap_or(0);
    let span = v.iter().map(|e| key(e) - lo).max().unwrap_or(0);
    let bits = (v.len() / 8).ilog2().min(20);
    let shift = (64 - span.leading_zeros()).saturating_sub(bits);
    let bucket = |e: &T| ((key(e) - lo) >> shift) as usize;
    let mut starts = vec![0usize; (1 << bits) + 1];
    for e in v.iter() {
        starts[bucket(e) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut out = vec![v[0]; v.len()];
    for e in v.iter() {
        let b = bucket(e);
        out[next[b]] = *e;
        next[b] += 1;
    }
    for w in starts.windows(2) {
        out[w[0]..w[1]].sort_unstable_by_key(&order);
    }
    out
}

/// Adds up neighbouring entries of the same term and group (in a sorted vector) while the
/// sum fits 32 bits.
fn sum_equal(v: &mut Vec<Entry>) {
    v.dedup_by(|e, kept| {
        e.key == kept.key
            && e.group == kept.group
            && kept.count.checked_add(e.count).map(|s| kept.count = s).is_some()
    });
}

/// Merges sorted sources, calling `f(key, group, count)` once per key and group, in order,
/// with the counts of every source added up.
fn merge(mut sources: Vec<Source>, f: impl FnMut(u64, u32, u64)) -> io::Result<()> {
    let mut sum = Sum { last: None, f };
    // Counts spilled in no run (a corpus that fits the budget) need no heap.
    if let [only] = &mut sources[..] {
        while let Some(e) = only.next()? {
            sum.add(e.key, e.group, u64::from(e.count));
        }
        sum.finish();
        return Ok(());
    }
    let mut heads = BinaryHeap::with_capacity(sources.len());
    let mut counts = vec![0u32; sources.len()];
    for (i, s) in sources.iter_mut().enumerate() {
        if let Some(e) = s.next()? {
            counts[i] = e.count;
            heads.push(Reverse((e.key, e.group, i)));
        }
    }
    while let Some(mut top) = heads.peek_mut() {
        let Reverse((key, group, i)) = *top;
        sum.add(key, group, u64::from(counts[i]));
        match sources[i].next()? {
            Some(e) => {
                counts[i] = e.count;
                *top = Reverse((e.key, e.group, i));
            }
            None => {
                PeekMut::pop(top);
            }
        }
    }
    sum.finish();
    Ok(())
}

/// The sums of the counts of each key and group, in order, handed to `f` as each is done.
struct Sum<F> {
    last: Option<(u64, u32, u64)>,
    f: F,
}

impl<F: FnMut(u64, u32, u64)> Sum<F> {
    fn add(&mut self, key: u64, group: u32, n: u64) {
        match &mut self.last {
            Some((k, g, sum)) if *k == key && *g == group => *sum = sum.saturating_add(n),
            _ => {
                if let Some((k, g, sum)) = self.last.replace((key, group, n)) {
                    (self.f)(k, g, sum);
                }
            }
        }
    }

    fn finish(mut self) {
        if let Some((k, g, sum)) = self.last.take() {
            (self.f)(k, g, sum);
        }
    }
}

/// Sorted entries to merge: held in memory, or one shard of a run.
enum Source<'a> {
    Held(std::slice::Iter<'a, Entry>),
    Run(Reader<'a>),
}

impl Source<'_> {
    fn next(&mut self) -> io::Result<Option<Entry>> {
        match self {
            Source::Held(it) => Ok(it.next().copied()),
            Source::Run(r) => r.next(),
        }
    }
}

/// Runs at which a spill merges all its runs into one, so that ranking merges a bounded
/// number of them (the heap's width, and one read buffer per run and thread).
const MAX_RUNS: usize = 64;

/// The spilled runs of a [`Counts`], one after another in one anonymous temporary file: one
/// file descriptor however many runs. The file has no name (on Unix it is unlinked as it is
/// created), so nothing is left behind however the process ends.
///
/// An entry is three LEB128 numbers: the key's difference from the previous entry's key in
/// the shard (so the first of a shard is whole), the group and the count. Sorted keys make
/// the differences short: about half the bytes of fixed-size entries.
#[derive(Debug)]
struct Spill {
    file: File,
    /// Bytes written.
    len: u64,
    runs: Vec<Run>,
}

/// Where each shard of a run starts in its spill's file, and where the run ends.
#[derive(Debug)]
struct Run {
    starts: [u64; SHARDS + 1],
}

impl Spill {
    /// Writes a new run from its shards' sorted entries, encoded ([`encode`]), creating the
    /// spill file in `dir` first. Past [`MAX_RUNS`], every run is merged into one, in a new
    /// file, when that can be done.
    fn add(
        spill: &mut Option<Spill>,
        dir: &std::path::Path,
        shards: &[Vec<Entry>],
    ) -> io::Result<()> {
        use std::io::Seek;
        let s = match spill {
            Some(s) => s,
            None => {
                spill.insert(Spill { file: tempfile::tempfile_in(dir)?, len: 0, runs: Vec::new() })
            }
        };
        s.file.seek(io::SeekFrom::Start(s.len))?;
        let mut starts = [s.len; SHARDS + 1];
        // Shards are encoded a few at a time, one per thread, and written before the next
        // few: the encoded bytes of a whole run held at once were the peak of memory.
        let mut i = 0;
        for chunk in shards.chunks(rayon::current_num_threads().max(1)) {
            let encoded: Vec<Vec<u8>> = chunk.par_iter().map(|v| encode(v)).collect();
            for bytes in encoded {
                s.file.write_all(&bytes)?;
                starts[i + 1] = starts[i] + bytes.len() as u64;
                i += 1;
            }
        }
        s.len = starts[SHARDS];
        s.runs.push(Run { starts });
        // The entries are now in a run: a failed merge must not report them unwritten (the
        // caller would keep them too). The runs stay as they are, still readable; a file
        // that cannot be read fails the ranking, with its error.
        if s.runs.len() >= MAX_RUNS {
            if let Ok(merged) = s.merged(dir) {
                *spill = Some(merged);
            }
        }
        Ok(())
    }

    /// All runs merged into one, in a new file.
    fn merged(&self, dir: &std::path::Path) -> io::Result<Spill> {
        let mut file = tempfile::tempfile_in(dir)?;
        let mut w = RunWriter::new(&mut file, 0)?;
        for s in 0..SHARDS {
            let sources = self.runs.iter().map(|r| Source::Run(r.open(&self.file, s))).collect();
            let mut failed = Ok(());
            merge(sources, |key, group, n| {
                if failed.is_ok() {
                    failed = w.push(key, group, n);
                }
            })?;
            failed?;
        }
        let run = w.finish()?;
        Ok(Spill { len: run.starts[SHARDS], runs: vec![run], file })
    }
}

/// Writes one run, in key order, from a file offset on.
struct RunWriter<'f> {
    w: BufWriter<&'f mut File>,
    pos: u64,
    shard: usize,
    prev: u64,
    starts: [u64; SHARDS + 1],
    buf: Vec<u8>,
}

impl<'f> RunWriter<'f> {
    fn new(file: &'f mut File, at: u64) -> io::Result<Self> {
        use std::io::Seek;
        file.seek(io::SeekFrom::Start(at))?;
        Ok(RunWriter {
            w: BufWriter::with_capacity(1 << 16, file),
            pos: at,
            shard: 0,
            prev: 0,
            starts: [at; SHARDS + 1],
            buf: Vec::with_capacity(24),
        })
    }

    /// Writes `n` occurrences of a key in a group (several entries past 32 bits). Keys come
    /// in order.
    fn push(&mut self, key: u64, group: u32, n: u64) -> io::Result<()> {
        while self.shard < shard_of(key) {
            self.shard += 1;
            self.starts[self.shard] = self.pos;
            self.prev = 0;
        }
        for count in split32(n) {
            self.buf.clear();
            put(&mut self.buf, &mut self.prev, key, group, count);
            self.w.write_all(&self.buf)?;
            self.pos += self.buf.len() as u64;
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<Run> {
        self.w.flush()?;
        self.starts[self.shard + 1..].fill(self.pos);
        Ok(Run { starts: self.starts })
    }
}

impl Run {
    /// Reads shard `s` by positional reads, which leave the file's cursor alone: shards are
    /// read in parallel.
    fn open<'f>(&self, file: &'f File, s: usize) -> Reader<'f> {
        let (at, end) = (self.starts[s], self.starts[s + 1]);
        Reader { file, pos: at, end, buf: Vec::new(), at: 0, prev: 0 }
    }
}

/// The sorted entries of one shard, encoded as in a run (see [`Spill`]).
fn encode(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * 8);
    let mut prev = 0;
    for e in entries {
        put(&mut out, &mut prev, e.key, e.group, e.count);
    }
    out
}

/// Appends one entry of a run: the key's difference from `prev` (the previous key of the
/// shard), the group and the count, as LEB128 numbers.
fn put(out: &mut Vec<u8>, prev: &mut u64, key: u64, group: u32, count: u32) {
    leb128(out, key - *prev);
    leb128(out, u64::from(group));
    leb128(out, u64::from(count));
    *prev = key;
}

/// `n` as counts that each fit 32 bits (none for 0).
fn split32(mut n: u64) -> impl Iterator<Item = u32> {
    std::iter::from_fn(move || {
        let count = n.min(u64::from(u32::MAX)) as u32;
        n -= u64::from(count);
        (count > 0).then_some(count)
    })
}

fn leb128(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads at `offset` without moving the file's cursor.
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    #[cfg(unix)]
    return std::os::unix::fs::FileExt::read_at(file, buf, offset);
    #[cfg(windows)]
    return std::os::windows::fs::FileExt::seek_read(file, buf, offset);
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (file, buf, offset);
        Err(io::Error::new(io::ErrorKind::Unsupported, "no positional reads on this platform"))
    }
}

/// Decodes one shard of a run, a block at a time.
struct Reader<'f> {
    file: &'f File,
    /// The file offset of the next block, and the end of the shard.
    pos: u64,
    end: u64,
    buf: Vec<u8>,
    /// Position in `buf`.
    at: usize,
    prev: u64,
}

/// The longest entry: a 64-bit and two 32-bit numbers.
const MAX_ENTRY: usize = 10 + 5 + 5;

impl Reader<'_> {
    fn next(&mut self) -> io::Result<Option<Entry>> {
        if self.buf.len() - self.at < MAX_ENTRY && self.pos < self.end {
            self.buf.drain(..self.at);
            self.at = 0;
            let mut filled = self.buf.len();
            let want = (self.end - self.pos).min(1 << 16) as usize;
            self.buf.resize(filled + want, 0);
            // Fill the block; a file shorter than it was written is damaged.
            while filled < self.buf.len() {
                match read_at(self.file, &mut self.buf[filled..], self.pos) {
                    Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                    Ok(n) => {
                        filled += n;
                        self.pos += n as u64;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        if self.at == self.buf.len() {
            return Ok(None);
        }
        let corrupt = || io::Error::new(io::ErrorKind::InvalidData, "temporary counts are damaged");
        let mut read = || -> io::Result<u64> {
            let (mut v, mut shift) = (0u64, 0);
            loop {
                let &b = self.buf.get(self.at).ok_or_else(corrupt)?;
                self.at += 1;
                if shift > 63 {
                    return Err(corrupt());
                }
                v |= u64::from(b & 0x7f) << shift;
                if b < 0x80 {
                    return Ok(v);
                }
                shift += 7;
            }
        };
        let key = read()?.wrapping_add(self.prev);
        let group = u32::try_from(read()?).map_err(|_| corrupt())?;
        let count = u32::try_from(read()?).map_err(|_| corrupt())?;
        self.prev = key;
        Ok(Some(Entry { key, group, count }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixing_is_undone() {
        assert_eq!(MIX.wrapping_mul(UNMIX), 1);
        for t in [0, 1, u64::MAX, 0x1234_5678_9abc_def0] {
            assert_eq!(unmix(mix(TermId(t))), TermId(t));
        }
    }

    /// The bucket sort orders entries as a comparison sort does: spread keys, keys bunched
    /// in a narrow range or all equal, repeated terms in several groups, across shards.
    #[test]
    fn bucket_sort_equals_a_comparison_sort() {
        let mut rng = crate::score::bootstrap::SplitMix64::new(11);
        for (n, spread) in [(5000, u64::MAX), (3000, 1 << 20), (2000, 3), (1500, 0), (900, 99)] {
            let mut v: Vec<Entry> = (0..n)
                .map(|_| {
                    let key = rng.next_u64() % spread.saturating_add(1).max(1);
                    let key = if spread == u64::MAX { rng.next_u64() } else { key };
                    Entry { key, group: (rng.next_u64() % 4) as u32, count: 1 }
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(Entry::order);
            sort_entries(&mut v);
            assert_eq!(
                v.iter().map(Entry::order).collect::<Vec<_>>(),
                want.iter().map(Entry::order).collect::<Vec<_>>(),
                "{n} {spread}"
            );
        }
    }

    /// Occurrences counted by sorting equal the same terms counted one by one, whatever
    /// their order.
    #[test]
    fn occurrences_count_as_terms() {
        let occ: Vec<TermId> =
            (0..5000u64).map(|i| TermId((i * i) % 1237 + ((i % 3) << 32))).collect();
        let mut counted: std::collections::BTreeMap<u64, u64> = Default::default();
        for t in &occ {
            *counted.entry(t.0).or_default() += 1;
        }
        let (mut a, mut b) = (Counts::default(), Counts::default());
        a.extend("g", counted.into_iter().map(|(t, n)| (TermId(t), n)));
        let g = b.group("g");
        b.append_all(vec![Sharded::from_occurrences(g, occ.into_iter().rev())]);
        assert_eq!(all(&a), all(&b));
        assert_eq!(a.total("g"), 5000);
        assert_eq!(b.total("g"), 5000);
    }

    /// Counts sorted into shards apart and appended equal the same counts extended, at a
    /// budget that spills in the middle of a group's shards, and with a count past 32 bits.
    #[test]
    fn appended_shards_equal_extended_terms() {
        let terms = |k: u64| (0..300u64).map(move |t| (TermId(t * 7919 + k), t % 5 + 1));
        let big = [(TermId(3), u64::from(u32::MAX) + 9)];
        for budget in [1, 37, 1 << 20] {
            let (mut a, mut b) = (Counts::with_budget(budget), Counts::with_budget(budget));
            for (name, k) in [("x", 0), ("y", 1), ("x", 2)] {
                a.extend(name, terms(k).chain(big));
                let g = b.group(name);
                b.append_all(vec![Sharded::new(g, terms(k).chain(big))]);
            }
            assert_eq!(all(&a), all(&b), "budget {budget}");
            assert_eq!((a.total("x"), a.total("y")), (b.total("x"), b.total("y")));
            assert_eq!(budget < 1000, b.spilled() > 0, "budget {budget}");
        }
    }

    /// Every (group, term, count), sorted.
    fn all(c: &Counts) -> Vec<(String, u64, u64)> {
        let mut v = Vec::new();
        c.each(|g, t, n| v.push((g.to_string(), t.0, n))).unwrap();
        v.sort_unstable();
        v
    }

    #[test]
    fn spilled_counts_equal_counts_in_memory() {
        // Terms at both ends of the key space and a count past 32 bits, in three groups.
        let adds: Vec<(&str, TermId, u64)> = (0..3000u64)
            .map(|i| {
                let g = ["a", "b", "c"][(i % 3) as usize];
                let t =
                    TermId::pair((i % 97) as u32, [(i % 13) as u32, u32::MAX][(i % 2) as usize]);
                (g, t, i % 5 + 1)
            })
            .chain([("b", TermId::word(7), u64::from(u32::MAX)), ("b", TermId::word(7), 9)])
            .collect();
        let (mut mem, mut disk) = (Counts::default(), Counts::with_budget(50));
        for &(g, t, n) in &adds {
            mem.add(g, t, n);
            disk.add(g, t, n);
        }
        assert_eq!(mem.spilled(), 0);
        assert!(disk.spilled() > 10, "{} runs", disk.spilled());
        assert_eq!(disk.spill_failure(), None);
        assert_eq!(all(&disk), all(&mem));
        let sum = |g: &str, t: TermId| -> u64 {
            adds.iter().filter(|a| a.0 == g && a.1 == t).map(|a| a.2).sum()
        };
        assert!(sum("b", TermId::word(7)) > u64::from(u32::MAX));
        assert_eq!(disk.get("b", TermId::word(7)).unwrap(), sum("b", TermId::word(7)));
        assert_eq!(disk.get("a", TermId::word(7)).unwrap(), sum("a", TermId::word(7)));
        assert_eq!(disk.get("a", TermId::word(1000)).unwrap(), 0);
        assert_eq!(disk.total("b"), mem.total("b"));
        assert_eq!(disk.grand_total(), adds.iter().map(|a| a.2).sum::<u64>());
        // Each term comes once per shard walk, with every group that counts it.
        let mut terms = Vec::new();
        for s in 0..SHARDS {
            disk.shard(s, |t, counts| {
                assert!(counts.windows(2).all(|w| w[0].0 < w[1].0));
                terms.push(t.0);
            })
            .unwrap();
        }
        let n = terms.len();
        terms.sort_unstable();
        terms.dedup();
        assert_eq!(terms.len(), n);
    }

    proptest::proptest! {
        /// Any adds, any budget: spilled counts read back as the same counts, and each
        /// term's groups come together, in group order, whatever shard it falls in.
        #[test]
        fn any_budget_gives_the_same_counts(
            adds in proptest::collection::vec((0u32..4, 0u32..40, 0u32..40, 1u64..1000), 0..400),
            budget in 1usize..64,
        ) {
            let (mut mem, mut disk) = (Counts::default(), Counts::with_budget(budget));
            for &(g, a, b, n) in &adds {
                let t = if b % 3 == 0 { TermId::word(a) } else { TermId::pair(a, b) };
                let g = ["w", "x", "y", "z"][g as usize];
                mem.add(g, t, n);
                disk.add(g, t, n);
            }
            proptest::prop_assert_eq!(all(&disk), all(&mem));
            for s in 0..SHARDS {
                disk.shard(s, |t, counts| {
                    assert_eq!(shard_of(mix(t)), s);
                    assert!(counts.windows(2).all(|w| w[0].0 < w[1].0));
                })
                .unwrap();
            }
        }
    }

    #[test]
    fn counts_stay_in_memory_when_they_cannot_be_spilled() {
        let nowhere = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("no/such/dir");
        let mut c = Counts::with_budget(4).in_dir(nowhere);
        let mut mem = Counts::default();
        for i in 0..20 {
            c.add("a", TermId::word(i % 7), 1);
            mem.add("a", TermId::word(i % 7), 1);
        }
        assert_eq!(c.spilled(), 0);
        assert!(c.spill_failure().is_some_and(|w| w.contains("no/such/dir")), "{c:?}");
        assert_eq!(all(&c), all(&mem));
        // Held entries are still summed: memory follows the distinct terms, not the adds.
        assert!(c.holding < 20, "{} held", c.holding);
    }

    /// A full buffer is summed before it is spilled: terms counted over and over stay in
    /// memory, once per group, and only distinct terms past half the budget are spilled.
    #[test]
    fn repeated_terms_are_summed_before_spilling() {
        let (mut mem, mut few, mut many) =
            (Counts::default(), Counts::with_budget(32), Counts::with_budget(32));
        for i in 0..1000u32 {
            for (c, t) in [(&mut mem, i % 5), (&mut few, i % 5), (&mut many, i)] {
                c.add(["a", "b"][(i % 2) as usize], TermId::word(t), 1);
            }
        }
        assert_eq!(few.spilled(), 0);
        assert!(few.holding < 32, "{} held", few.holding);
        assert_eq!(all(&few), all(&mem));
        assert_eq!(many.spilled(), 1000 / 32, "every full buffer of distinct terms is spilled");
        assert_eq!(all(&many).len(), 1000);
    }

    #[test]
    fn many_runs_are_merged_into_one_file() {
        let (mut mem, mut disk) = (Counts::default(), Counts::with_budget(1));
        for i in 0..(3 * MAX_RUNS as u32 + 5) {
            for (g, n) in [("a", 1), ("b", u64::from(u32::MAX) + 2)] {
                mem.add(g, TermId::word(i % 50), n);
                disk.add(g, TermId::word(i % 50), n);
            }
        }
        assert!(disk.spilled() > 0 && disk.spilled() < MAX_RUNS, "{} runs", disk.spilled());
        assert_eq!(all(&disk), all(&mem));
    }

    /// When merging the runs fails (here: their folder is gone), they stay as they were and
    /// nothing is counted twice.
    #[cfg(unix)]
    #[test]
    fn a_failed_merge_leaves_the_runs() {
        let dir = tempfile::tempdir().unwrap();
        let (mut mem, mut disk) =
            (Counts::default(), Counts::with_budget(1).in_dir(dir.path().into()));
        let mut add = |i: u32| {
            mem.add("a", TermId::word(i % 9), 2);
            disk.add("a", TermId::word(i % 9), 2);
        };
        for i in 0..MAX_RUNS as u32 - 2 {
            add(i);
        }
        std::fs::remove_dir(dir.path()).unwrap();
        for i in 0..5 {
            add(i);
        }
        assert_eq!(disk.spill_failure(), None);
        assert!(disk.spilled() >= MAX_RUNS, "{} runs", disk.spilled());
        assert_eq!(all(&disk), all(&mem));
    }

    #[test]
    fn damaged_runs_are_an_error() {
        let mut c = Counts::with_budget(4);
        for i in 0..8 {
            c.add("a", TermId::word(i), 1);
        }
        let mut file = &c.spill.as_ref().unwrap().file;
        let len = file.metadata().unwrap().len() as usize;
        use std::io::Seek;
        file.rewind().unwrap();
        file.write_all(&vec![0xff; len]).unwrap();
        let err = c.each(|_, _, _| {}).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        c.spill.as_ref().unwrap().file.set_len(1).unwrap();
        let err = c.each(|_, _, _| {}).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }
}
