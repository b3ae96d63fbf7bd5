//! Fuzz target: see `framelens_fuzz::header` for the entry point and the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| framelens_fuzz::header(data));
