//! The framelens binary: parses arguments, runs a command, and decides the exit code
//! (0 success, 1 failure, 2 usage error; a closed pipe is a success).

use clap::Parser;
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            let broken_pipe = err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            if let Some(usage) = err.downcast_ref::<cli::UsageError>() {
                eprintln!("framelens: {}", terminal_safe(&usage.to_string()));
                return ExitCode::from(2);
            }
            eprintln!("framelens: {}", terminal_safe(&format!("{err:#}")));
            ExitCode::from(1)
        }
    }
}

/// Error messages quote lexicon rows and file names, which can carry escape sequences; they
/// are stripped line by line so multi-line messages keep their lines.
fn terminal_safe(msg: &str) -> String {
    msg.split('\n').map(framelens::report::sanitize).collect::<Vec<_>>().join("\n")
}
