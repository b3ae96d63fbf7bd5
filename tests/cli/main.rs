//! The integration tests: one binary, one module per command, plus fixtures-driven checks,
//! property tests of the parsers and matchers, and snapshots of every output format.

mod bad_input;
mod compare;
mod corpus;
mod determinism;
mod ecosystem;
mod formats;
mod fuzz_replay;
mod html;
mod keyness;
mod kwic;
mod lexicon;
mod props;
mod readme;
mod score;
mod spreadsheet;
mod streaming;
mod util;
