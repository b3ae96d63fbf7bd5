//! `framelens keyness` and the lexicon tooling built on it.
