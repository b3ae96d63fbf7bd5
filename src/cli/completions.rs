//! `framelens completions`: a shell completion script, generated from the same clap
//! definition as the parser, so it can never offer a flag the binary does not take.

use super::{Cli, GlobalArgs};
use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;
use std::process::ExitCode;

/// Print a completion script for SHELL (to -o FILE or stdout). Bash: add
/// `source <(framelens completions bash)` to ~/.bashrc; zsh: write it as `_framelens` in a
/// directory on $fpath; fish: save it as ~/.config/fish/completions/framelens.fish;
/// PowerShell: add `framelens completions powershell | Out-String | Invoke-Expression` to
/// $PROFILE.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: Args, g: &GlobalArgs) -> Result<ExitCode> {
    // Generated into memory first: clap_complete panics on a write error, and a closed pipe
    // (`framelens completions bash | head`) must end quietly.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "framelens", &mut script);
    super::write_plain(g, |w| w.write_all(&script))?;
    Ok(ExitCode::SUCCESS)
}
