//! The integration tests: one binary, one module per command, plus fixtures-driven checks,
//! property tests of the parsers and matchers, and snapshots of every output format.

mod compare;
mod corpus;
mod formats;
mod kwic;
mod lexicon;
mod props;
mod score;
mod util;
