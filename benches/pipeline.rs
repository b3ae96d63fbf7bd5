//! Criterion benches for each stage of the pipeline, in MB/s of article text:
//! decoding, reading (header, outlet, boilerplate), segmentation (with unicode-segmentation's
//! own word iterator beside it for reference), voice analysis, lexicon matching, scoring,
//! story alignment, passage alignment and keyness.
//!
//! Input: the seeds and the invented fixtures by default, or every `.txt` file of the
//! folder in `FRAMELENS_BENCH_CORPUS` (for instance one written by scripts/gen_corpus.py):
//!
//! ```text
//! cargo bench --bench pipeline
//! FRAMELENS_BENCH_CORPUS=/tmp/fl/c1k cargo bench --bench pipeline -- stories
//! ```

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use framelens::align::{self, PassageOptions, StoryOptions};
use framelens::corpus::{self, Corpus, ReadOptions};
use framelens::keyness::{self, Options, Rows};
use framelens::lexicon::{self, Matcher};
use framelens::score::{self, Detail, Grouping, Tallier, VoiceFilter};
use framelens::text::{analyse, segment, voice_kinds, Lang};
use std::path::{Path, PathBuf};
use unicode_segmentation::UnicodeSegmentation;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
}

/// The bench inputs as (name, bytes).
fn inputs() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    match std::env::var_os("FRAMELENS_BENCH_CORPUS") {
        Some(dir) => files(Path::new(&dir), &mut paths),
        None => {
            files(&root.join("seeds"), &mut paths);
            files(&root.join("tests/fixtures"), &mut paths);
        }
    }
    paths
        .into_iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read(&p).ok()?)))
        .collect()
}

fn read_all(inputs: &[(String, Vec<u8>)], opts: &ReadOptions) -> Corpus {
    let mut c = Corpus::default();
    for (name, bytes) in inputs {
        let part = corpus::read_bytes(name, bytes, opts);
        c.documents.extend(part.documents);
    }
    c
}

fn stages(c: &mut Criterion) {
    let inputs = inputs();
    let opts = ReadOptions::default();
    let corpus = read_all(&inputs, &opts);
    let lang = Lang::english();
    let matcher = Matcher::new(lexicon::resolve(Vec::new()).expect("bundled lexicons"), lang);
    let raw: u64 = inputs.iter().map(|(_, b)| b.len() as u64).sum();
    let text: u64 = corpus.documents.iter().map(|d| d.text.len() as u64).sum();
    let analyses: Vec<_> = corpus.documents.iter().map(|d| analyse(&d.text, lang, &[])).collect();

    let mut g = c.benchmark_group("stage");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(raw));
    g.bench_function("decode", |b| {
        b.iter(|| {
            for (_, bytes) in &inputs {
                black_box(corpus::decode(bytes).ok());
            }
        })
    });
    g.bench_function("read", |b| b.iter(|| black_box(read_all(&inputs, &opts))));
    g.throughput(Throughput::Bytes(text));
    // Word counters, each summed over every document's text.
    type Counter = fn(&str) -> usize;
    let counters: [(&str, Counter); 4] = [
        ("words_unicode_segmentation", |t| t.split_word_bounds().count()),
        ("words_fast_path", |t| framelens::text::fast::word_bound_indices(t).count()),
        ("words_only", |t| framelens::text::fast::word_indices(t).count()),
        ("count_words", corpus::count_words),
    ];
    for (name, count) in counters {
        g.bench_function(name, |b| {
            b.iter(|| black_box(corpus.documents.iter().map(|d| count(&d.text)).sum::<usize>()))
        });
    }
    g.bench_function("segment", |b| {
        b.iter(|| {
            for d in &corpus.documents {
                black_box(segment(&d.text, lang));
            }
        })
    });
    g.bench_function("analyse", |b| {
        b.iter(|| {
            for d in &corpus.documents {
                black_box(analyse(&d.text, lang, &[]));
            }
        })
    });
    g.bench_function("match", |b| {
        b.iter(|| {
            for a in &analyses {
                black_box(matcher.hits(a));
            }
        })
    });
    // The voice analysis `score` does: kinds of the hits' first tokens only (compare with
    // "analyse" less "segment").
    let firsts: Vec<Vec<usize>> =
        analyses.iter().map(|a| matcher.hits(a).iter().map(|h| h.tokens.start).collect()).collect();
    g.bench_function("voice_kinds", |b| {
        b.iter(|| {
            for ((d, a), f) in corpus.documents.iter().zip(&analyses).zip(&firsts) {
                black_box(voice_kinds(&d.text, &a.seg, lang, &[], f));
            }
        })
    });
    g.bench_function("score", |b| {
        b.iter(|| {
            let scored = score::hits(&corpus, &matcher, lang, |_| Vec::new(), Detail::Speakers);
            let mut t = Tallier::new(&matcher, VoiceFilter::Own, Grouping::Key);
            for (d, h) in corpus.documents.iter().zip(&scored.hits) {
                t.add(&d.outlet, d.words, h);
            }
            black_box(t.finish())
        })
    });
    // What `framelens score` runs: voice kinds only where there are hits, no speakers.
    g.bench_function("score_kinds", |b| {
        b.iter(|| {
            let scored = score::hits(&corpus, &matcher, lang, |_| Vec::new(), Detail::Kinds);
            let mut t = Tallier::new(&matcher, VoiceFilter::Own, Grouping::Key);
            for (d, h) in corpus.documents.iter().zip(&scored.hits) {
                t.add(&d.outlet, d.words, h);
            }
            black_box(t.finish())
        })
    });
    let story_opts = StoryOptions::default();
    g.bench_function("stories", |b| {
        b.iter(|| black_box(align::stories(&corpus, lang, &story_opts)))
    });
    let stories = align::stories(&corpus, lang, &story_opts);
    g.bench_function("passages", |b| {
        b.iter(|| black_box(align::passages(&corpus, &stories, lang, &PassageOptions::default())))
    });
    g.bench_function("keyness", |b| {
        b.iter(|| {
            let tokens = keyness::count(
                &corpus,
                lang,
                VoiceFilter::All,
                |_, d| Some(d.outlet.clone()),
                |_| Vec::new(),
            );
            let opts = Options { alpha0: None, min_count: 2 };
            black_box(keyness::rank(&tokens, &opts, Rows::Top(15)).unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
