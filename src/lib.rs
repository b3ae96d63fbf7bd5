//! framelens compares how news outlets frame the same events.
//!
//! Data flows one way through the stages, each a module:
//! [`corpus`] (read and clean documents) → [`text`] (tokens, sentences, voice) →
//! [`lexicon`] (curated framing terms and the matcher) → [`score`] (hits, rates, slant) →
//! [`align`] (stories and passages across outlets) → [`compare`] (outlets side by side) →
//! [`report`] (tables, CSV, JSON, Markdown, HTML). Only `report` and the binary's `cli`
//! write anywhere; the stages return plain values.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod align;
pub mod corpus;
pub mod lexicon;
pub mod report;
pub mod score;
pub mod text;
