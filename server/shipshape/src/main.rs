//! The `shipshape` binary: `server`, `check`, `report`, `rules`, `test-rules`, `new-rule`,
//! `explain`.

mod args;
mod atomic;
mod baseline;
mod cache;
mod check;
mod checked;
mod new_rule;
mod output;
mod report;
mod test_rules;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand, ValueEnum};
use shipshape_core::{docs::rule_markdown, registry};

use args::{CheckArgs, ReportArgs};

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
    Server {
        /// Accepted for clients that append it; stdin/stdout is the only
        /// transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Check files and folders (default: the current folder).
    Check(CheckArgs),
    /// Score a project's deployment readiness and list what to fix.
    Report(ReportArgs),
    /// List the rules: the built-in ones and the user rules of the
    /// configuration of the current folder (`rule-paths`).
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Run the fixture cases of rules, like `sg test`: for `rules/<id>.scm`
    /// the files `rules/<id>.<ext>` beside it, for a rule folder
    /// `<kind>/<id>/rule.scm` its `fixture.<ext>` files. `# expect: <id>`
    /// marks the line below as a finding; other lines must not fire.
    TestRules {
        /// A folder to search for rule files, or one rule file.
        #[arg(default_value = ".")]
        path: PathBuf,
    },
    /// Create a rule that works, to edit: `rules/<kind>/<id>/` (`rule.scm`
    /// and `fixture.<ext>`) in the built-in rules folder of this repository,
    /// or with `--user` the user rule `<id>.scm` and its case `<id>.<ext>`
    /// in the configuration's first `rule-paths` folder.
    NewRule {
        /// The file kind: python, dockerfile or compose.
        kind: String,
        /// The rule id: lower-case words joined by `-`.
        id: String,
        /// A user rule, in the `rule-paths` folder of the configuration.
        #[arg(long)]
        user: bool,
        /// The folder to create it in: the built-in rules folder (which
        /// holds `<kind>/`), or with `--user` the user rule folder.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Print a rule's documentation.
    Explain {
        /// The rule id, as in a diagnostic's code.
        rule: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Server { stdio: _ } => run_server(),
        Command::Check(args) => check::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Rules { format } => {
            output::print_rules(matches!(format, RulesFormat::Json));
            ExitCode::SUCCESS
        }
        Command::TestRules { path } => test_rules::run(&path),
        Command::NewRule {
            kind,
            id,
            user,
            dir,
        } => new_rule::run(&new_rule::NewRule {
            kind: &kind,
            id: &id,
            user,
            dir: dir.as_deref(),
        }),
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
