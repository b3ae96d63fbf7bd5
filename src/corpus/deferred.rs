//! A value built either at once or on first use, for the compiled patterns of data files:
//! a user's file is compiled when it is loaded, so that a bad pattern is reported before any
//! document is read; the bundled files, which tests show compile, only when a document needs
//! them, since compiling is most of a short run's time.

use std::sync::OnceLock;

/// A value built by [`Deferred::new`] at once, or by [`Deferred::get`] on first use.
#[derive(Debug, Clone)]
pub(super) struct Deferred<T>(OnceLock<T>);

impl<T> Deferred<T> {
    /// Builds the value now when `now` (failing as `build` fails), else leaves it for
    /// [`Deferred::get`].
    pub(super) fn new<E>(now: bool, build: impl FnOnce() -> Result<T, E>) -> Result<Self, E> {
        let cell = OnceLock::new();
        if now {
            let _ = cell.set(build()?);
        }
        Ok(Deferred(cell))
    }

    /// The value, built by `build` if it was left for now. Only bundled data, which its
    /// tests build, is left for later: `build` cannot fail there.
    pub(super) fn get<E: std::fmt::Debug>(&self, build: impl FnOnce() -> Result<T, E>) -> &T {
        self.0.get_or_init(|| build().expect("deferred only for bundled data, which builds"))
    }

    /// Whether the value was built.
    #[cfg(test)]
    pub(super) fn is_built(&self) -> bool {
        self.0.get().is_some()
    }
}
