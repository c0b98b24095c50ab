//! The `shipshape` binary: `server`, `check`, `rules`, `explain`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "shipshape", version, about = "Deployment-readiness review for Python services")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server on stdin/stdout.
    Server,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Server => {
            tracing_subscriber::fmt().with_writer(std::io::stderr).with_ansi(false).init();
            let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build();
            match runtime.map(|runtime| runtime.block_on(shipshape_lsp::run_stdio())) {
                Ok(Ok(())) => ExitCode::SUCCESS,
                Ok(Err(error)) | Err(error) => {
                    eprintln!("shipshape server: {error}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
