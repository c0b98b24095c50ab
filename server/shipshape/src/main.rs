//! The `shipshape` binary: `server`, `check`, `rules`, `explain`.

mod check;
mod output;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand, ValueEnum};
use shipshape_core::{Severity, docs::rule_markdown, registry};

#[derive(Parser)]
#[command(
    name = "shipshape",
    version,
    about = "Deployment-readiness review for Python services"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server on stdin/stdout.
    Server,
    /// Check files and folders (default: the current folder).
    Check(CheckArgs),
    /// List the rules.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Print a rule's documentation.
    Explain {
        /// The rule id, as in a diagnostic's code.
        rule: String,
    },
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check; folders are walked honouring .gitignore.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Hint)]
    pub fail_on: FailOn,
    /// Colour the text output: auto (on a terminal), always or never.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Compiler-style findings with a code frame.
    Text,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// A JSON array of findings.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FailOn {
    Hint,
    Information,
    Warning,
    Error,
    /// Always exit 0 when the check ran.
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Hint => Some(Severity::Hint),
            FailOn::Information => Some(Severity::Information),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Error => Some(Severity::Error),
            FailOn::Never => None,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Server => run_server(),
        Command::Check(args) => check::run(&args),
        Command::Rules { format } => {
            output::print_rules(matches!(format, RulesFormat::Json));
            ExitCode::SUCCESS
        }
        Command::Explain { rule } => match registry().get(&rule) {
            Some(rule) => {
                output::print_stdout(&rule_markdown(rule));
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("shipshape: no rule `{rule}`; `shipshape rules` lists them");
                ExitCode::from(2)
            }
        },
    }
}

fn run_server() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SHIPSHAPE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build();
    // After `exit`, don't wait for the blocking thread still reading stdin.
    let served = runtime.map(|runtime| {
        let served = runtime.block_on(shipshape_lsp::run_stdio());
        runtime.shutdown_background();
        served
    });
    match served {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(error)) | Err(error) => {
            eprintln!("shipshape server: {error}");
            ExitCode::from(2)
        }
    }
}
