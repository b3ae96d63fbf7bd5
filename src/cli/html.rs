//! `framelens report` and `framelens exercise`: HTML pages.

use super::Plan;
use anyhow::Result;
use std::process::ExitCode;

/// Write a self-contained HTML report.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {}

/// Write a classroom worksheet and its answer key.
#[derive(Debug, clap::Args)]
pub struct ExerciseArgs {}

pub fn run_report(_args: ReportArgs, _plan: &Plan) -> Result<ExitCode> {
    anyhow::bail!("report is being built")
}

pub fn run_exercise(_args: ExerciseArgs, _plan: &Plan) -> Result<ExitCode> {
    anyhow::bail!("exercise is being built")
}
