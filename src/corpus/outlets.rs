//! The outlet registry (`lexicons/outlets.csv`): outlet names, aliases, the patterns that
//! identify an outlet's pages, country and ownership. Consumes the CSV; produces a
//! [`Registry`] that names the outlet of a text or resolves an alias. Identification is data:
//! adding an outlet means adding a row, never code.

use super::deferred::Deferred;
use regex::{Regex, RegexBuilder};
use serde::Serialize;

/// The bundled registry.
pub const BUILTIN: &str = include_str!("../../lexicons/outlets.csv");

/// One outlet.
#[derive(Debug, Clone, Serialize)]
pub struct Outlet {
    /// Canonical name, e.g. `Anadolu Agency`.
    pub name: String,
    /// Other names it goes by.
    pub aliases: Vec<String>,
    /// Country of the outlet.
    pub country: String,
    /// Ownership, as the registry describes it.
    pub ownership: String,
    #[serde(skip)]
    patterns: Vec<Pattern>,
}

/// An identifying pattern, compiled on first use when it comes from the bundled registry:
/// most corpora name their outlet in a header, and compiling the bundled patterns was a
/// tenth of a short run's time. Patterns of a user's registry are compiled when it is
/// parsed, so that a bad one is reported before any document is read.
#[derive(Debug, Clone)]
struct Pattern {
    source: String,
    compiled: Deferred<Regex>,
}

impl Pattern {
    fn build(source: &str) -> Result<Regex, regex::Error> {
        RegexBuilder::new(source).case_insensitive(true).build()
    }

    /// The compiled pattern (bundled patterns: `builtin_patterns_compile`).
    fn regex(&self) -> &Regex {
        self.compiled.get(|| Pattern::build(&self.source))
    }
}

/// Outlets and their identifying patterns.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    outlets: Vec<Outlet>,
    /// The byte lengths of every name and alias, sorted: a name of any other length is none
    /// of them, which rules out nearly every line tested as a masthead without comparing.
    name_lengths: Vec<usize>,
}

/// A problem in the registry file.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{source_name}:{line}: {message}")]
pub struct RegistryError {
    /// File name.
    pub source_name: String,
    /// 1-based line.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

/// The outcome of identifying a text's outlet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identified {
    /// One outlet matched more patterns than any other.
    Outlet(String),
    /// Several outlets matched equally; the names are listed.
    Ambiguous(Vec<String>),
    /// No pattern matched.
    Unknown,
}

impl Registry {
    /// Parses a registry from CSV text (`outlet,aliases,patterns,country,ownership,url`).
    pub fn parse(source_name: &str, text: &str) -> Result<Registry, RegistryError> {
        Registry::parse_with(source_name, text, true)
    }

    /// [`Registry::parse`], compiling the patterns now (`eager`) or on first use.
    fn parse_with(source_name: &str, text: &str, eager: bool) -> Result<Registry, RegistryError> {
        let err = |line: u64, message: String| RegistryError {
            source_name: source_name.to_string(),
            line,
            message,
        };
        let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
        let headers = rdr.headers().map_err(|e| err(1, e.to_string()))?.clone();
        let col = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
        let name_col = col("outlet").ok_or_else(|| err(1, "missing column \"outlet\"".into()))?;
        let (alias_col, pat_col, country_col, own_col) =
            (col("aliases"), col("patterns"), col("country"), col("ownership"));
        let mut outlets = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                err(line, format!("{e}; check the quoting of this row"))
            })?;
            let line = rec.position().map_or(0, |p| p.line());
            let get =
                |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim().to_string();
            let name = get(Some(name_col));
            if name.is_empty() {
                return Err(err(line, "empty outlet name".into()));
            }
            let list = |s: String| -> Vec<String> {
                s.split(';').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()
            };
            let mut patterns = Vec::new();
            for p in list(get(pat_col)) {
                let compiled = Deferred::new(eager, || Pattern::build(&p))
                    .map_err(|e| err(line, format!("invalid pattern {p:?} for {name}: {e}")))?;
                patterns.push(Pattern { source: p, compiled });
            }
            outlets.push(Outlet {
                name,
                aliases: list(get(alias_col)),
                country: get(country_col),
                ownership: get(own_col),
                patterns,
            });
        }
        let mut name_lengths: Vec<usize> = outlets
            .iter()
            .flat_map(|o| std::iter::once(&o.name).chain(&o.aliases))
            .map(String::len)
            .collect();
        name_lengths.sort_unstable();
        name_lengths.dedup();
        Ok(Registry { outlets, name_lengths })
    }

    /// The bundled registry.
    pub fn builtin() -> Registry {
        Registry::parse_with("lexicons/outlets.csv", BUILTIN, false)
            .expect("bundled outlet registry is valid")
    }

    /// All outlets, in file order.
    pub fn outlets(&self) -> &[Outlet] {
        &self.outlets
    }

    /// Looks an outlet up by its name or an alias (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&Outlet> {
        let n = name.trim();
        // Names compare ignoring ASCII case only, which keeps byte lengths.
        self.name_lengths.binary_search(&n.len()).ok()?;
        self.outlets.iter().find(|o| {
            o.name.eq_ignore_ascii_case(n) || o.aliases.iter().any(|a| a.eq_ignore_ascii_case(n))
        })
    }

    /// The canonical spelling of an outlet name given in a header or column; names the
    /// registry does not know are kept as given.
    pub fn canonical(&self, name: &str) -> String {
        self.get(name).map_or_else(|| name.trim().to_string(), |o| o.name.clone())
    }

    /// Names the outlet whose patterns match `text` most often (counting distinct patterns).
    pub fn identify(&self, text: &str) -> Identified {
        let mut best: Vec<(usize, &str)> = self
            .outlets
            .iter()
            .map(|o| {
                (o.patterns.iter().filter(|p| p.regex().is_match(text)).count(), o.name.as_str())
            })
            .filter(|(n, _)| *n > 0)
            .collect();
        best.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        match best.as_slice() {
            [] => Identified::Unknown,
            [(_, one)] => Identified::Outlet(one.to_string()),
            [(n0, first), (n1, _), ..] if n0 > n1 => Identified::Outlet(first.to_string()),
            [(n0, _), ..] => Identified::Ambiguous(
                best.iter().filter(|(n, _)| n == n0).map(|(_, s)| s.to_string()).collect(),
            ),
        }
    }

    /// True when `line` is nothing but an outlet's name or alias (a masthead line).
    pub fn is_masthead(&self, line: &str) -> bool {
        let l = line.trim();
        !l.is_empty() && self.get(l).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_identifies() {
        let r = Registry::builtin();
        assert_eq!(
            r.identify("MOSCOW, July 13. /TASS/. Lavrov said"),
            Identified::Outlet("TASS".into())
        );
        assert_eq!(r.identify("nothing here"), Identified::Unknown);
        assert_eq!(r.canonical("aa"), "Anadolu Agency");
        assert_eq!(r.canonical("Yerevan Ledger"), "Yerevan Ledger");
        assert!(r.is_masthead("Iran Press TV"));
    }

    #[test]
    fn builtin_patterns_compile() {
        // Compiled at parse, as a user's registry is: every bundled pattern compiles.
        let eager = Registry::parse("lexicons/outlets.csv", BUILTIN).unwrap();
        assert!(eager.outlets.iter().flat_map(|o| &o.patterns).all(|p| p.compiled.is_built()));
        let lazy = Registry::builtin();
        assert!(lazy.outlets.iter().flat_map(|o| &o.patterns).all(|p| !p.compiled.is_built()));
        // Compiled on first use, they identify the seeds as the eager ones do.
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        for e in std::fs::read_dir(seeds).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            assert_eq!(lazy.identify(&text), eager.identify(&text));
        }
    }

    #[test]
    fn ties_are_ambiguous_not_guessed() {
        let r = Registry::builtin();
        assert!(
            matches!(r.identify("/TASS/ and (Reuters) - both"), Identified::Ambiguous(v) if v.len() == 2)
        );
    }

    #[test]
    fn bad_pattern_names_the_line() {
        let e =
            Registry::parse("o.csv", "outlet,aliases,patterns\nX,,\"(unclosed\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().starts_with("o.csv:2: invalid pattern"));
    }
}
