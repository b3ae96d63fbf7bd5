//! `framelens keyness`: distinctive words by outlet or story.

use super::Plan;
use anyhow::Result;
use std::process::ExitCode;

/// Distinctive words and phrases of each outlet or story (log-odds with an informative
/// Dirichlet prior).
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args, _plan: &Plan) -> Result<ExitCode> {
    anyhow::bail!("keyness is being built")
}
