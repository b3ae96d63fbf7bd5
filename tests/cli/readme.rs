//! README examples are real: each ```console block that starts with `$ framelens ...` must
//! show exactly what that command prints. `FRAMELENS_BLESS=1 cargo test readme` rewrites
//! the blocks from a fresh run.

use crate::util::{fl, root};

/// Splits a command line on spaces, honouring single and double quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, ' ') => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[test]
fn readme_examples_are_what_the_program_prints() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let bless = std::env::var_os("FRAMELENS_BLESS").is_some();
    let mut out = String::new();
    let mut lines = readme.lines().peekable();
    let mut checked = 0;
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        if line != "```console" {
            continue;
        }
        let Some(cmd) = lines.next_if(|l| l.starts_with("$ framelens ")) else { continue };
        out.push_str(cmd);
        out.push('\n');
        let mut shown = String::new();
        for l in lines.by_ref() {
            if l == "```" {
                break;
            }
            shown.push_str(l);
            shown.push('\n');
        }
        let args = words(&cmd["$ framelens ".len()..]);
        let run = fl().args(&args).output().unwrap();
        assert!(run.status.success(), "{cmd}: {}", String::from_utf8_lossy(&run.stderr));
        let actual = String::from_utf8(run.stdout).unwrap();
        if bless {
            out.push_str(&actual);
        } else {
            assert_eq!(
                shown, actual,
                "README block for `{cmd}` is stale; rerun with FRAMELENS_BLESS=1"
            );
            out.push_str(&shown);
        }
        out.push_str("```\n");
        checked += 1;
    }
    assert!(checked >= 5, "README shows the commands");
    if bless {
        std::fs::write(&path, out).unwrap();
    }
}
