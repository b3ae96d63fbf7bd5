//! `framelens report` and `framelens exercise` in a real browser and as HTML.
