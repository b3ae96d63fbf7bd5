//! Fuzz target: see `framelens_fuzz::lexicon` for the entry point and the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| framelens_fuzz::lexicon(data));
