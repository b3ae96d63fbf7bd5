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
                eprintln!("framelens: {usage}");
                return ExitCode::from(2);
            }
            eprintln!("framelens: {err:#}");
            ExitCode::from(1)
        }
    }
}
