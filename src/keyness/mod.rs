//! Keyness: the distinctive words of each group of documents.
