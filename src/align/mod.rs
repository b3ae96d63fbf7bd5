//! Stage 5, align: which reports cover the same story, and which passages in them state the
//! same fact.
