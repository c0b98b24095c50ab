//! The command line's arguments (`clap`), below every command that reads
//! them: the commands and the outputs import these, never `main.rs`.

use std::path::PathBuf;

use clap::ValueEnum;
use shipshape_core::Severity;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check; folders are walked honouring .gitignore.
    /// `-` reads one file's text from stdin (name it with --stdin-filename).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The path of the text read from stdin (`-`): it decides the file's
    /// kind, configuration and the path shown [default: `-`, as Python].
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Output format.
    #[arg(long, visible_alias = "output-format", value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The lowest severity that makes the exit code 1 [default: the
    /// configuration's `fail-on`, else hint: any finding].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Exit 0 even when there are findings (2 still means a usage or I/O
    /// error).
    #[arg(long)]
    pub exit_zero: bool,
    /// Run only these rules (comma-separated rule ids or categories); the
    /// configuration still sets their severity or turns them off.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Also run these rules (ids or categories), at their default severity,
    /// even where the configuration turns them off.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Do not run these rules (ids or categories); wins over --select.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Use this configuration file (a shipshape.toml or a pyproject.toml)
    /// for every file, instead of the nearest one to each.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Apply safe fixes in place (atomically), re-checking until none is
    /// left, and report the findings that remain.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: apply unsafe fixes too (they change behaviour a
    /// person should review).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print what --fix would change as a unified diff; write nothing. Exits
    /// 1 when there is something to change.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Report (and fail on) only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record today's findings in this baseline file (and exit 0).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub baseline_write: Option<PathBuf>,
    /// Ignore configuration files (pyproject.toml, shipshape.toml).
    #[arg(long)]
    pub no_config: bool,
    /// Colour the text output: auto (on a terminal, or when FORCE_COLOR is
    /// set; never when NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Neither read nor write the result cache.
    #[arg(long)]
    pub no_cache: bool,
    /// The result cache's folder [default: SHIPSHAPE_CACHE_DIR, else the
    /// user's cache folder].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct ReportArgs {
    /// The project folder (default: the current folder).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format [default: from the extension of --output (.md, .json,
    /// .html), else markdown].
    #[arg(long, visible_alias = "output-format", value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with code 1 when the score is below this (for CI).
    #[arg(long, value_name = "SCORE")]
    pub fail_under: Option<u32>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    /// A review in Markdown.
    Markdown,
    /// `score`, `verdict`, `categories` and the findings by urgency.
    Json,
    /// A standalone page (inline CSS and SVG, no network).
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Compiler-style findings with a code frame.
    Text,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// A JSON array of findings.
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps).
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML: a test suite per file, a failed test per finding.
    Junit,
    /// GitLab Code Quality JSON, for the merge request widget.
    Gitlab,
}

/// The severity names are those of the output (`hint`, `info`, `warning`,
/// `error`); the aliases are the names other tools use.
#[derive(Clone, Copy, ValueEnum)]
pub enum FailOn {
    Hint,
    #[value(name = "info", alias = "information", alias = "note")]
    Information,
    #[value(alias = "warn")]
    Warning,
    Error,
    /// Always exit 0 when the check ran.
    Never,
}

impl FailOn {
    pub fn threshold(self) -> shipshape_core::config::FailOn {
        use shipshape_core::config::FailOn as Core;
        match self {
            FailOn::Hint => Core::At(Severity::Hint),
            FailOn::Information => Core::At(Severity::Information),
            FailOn::Warning => Core::At(Severity::Warning),
            FailOn::Error => Core::At(Severity::Error),
            FailOn::Never => Core::Never,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}
