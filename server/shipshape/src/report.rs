//! `shipshape report`: check a project and print the readiness review
//! (score, categories, findings by urgency) as Markdown, JSON or HTML. The
//! scoring and rendering live in `shipshape_core::report`.

use std::{path::PathBuf, process::ExitCode, sync::Arc};

use ropey::Rope;
use shipshape_core::{
    config::ConfigLoader,
    project::Project,
    report::{self, ReportInput},
    text::{Encoding, LineIndex},
};

use crate::{ReportArgs, ReportFormat, check, output};

pub fn run(args: &ReportArgs) -> ExitCode {
    // The report scores what `check` reports: configuration applies.
    let loader = Arc::new(ConfigLoader::new());
    let (files, io_error) = check::collect(
        std::slice::from_ref(&args.path),
        &loader,
        true,
        check::FixMode::Off,
        false,
        None,
    );
    if io_error {
        return ExitCode::from(2);
    }
    let mut inputs = Vec::new();
    for file in &files {
        let rope = Rope::from_str(&file.text);
        let lines = LineIndex::new(&rope);
        for finding in &file.findings {
            inputs.push(ReportInput {
                rule: finding.rule,
                path: file.display_path.clone(),
                line: lines.position(finding.range.start, Encoding::Utf32).line + 1,
                message: finding.message.clone(),
                fix: finding.fix.as_ref().map(|fix| fix.title.clone()),
            });
        }
    }
    let mut report = report::build(&project_name(&args.path), &inputs);
    if args.path.is_dir() {
        report.strengths = Project::load(&args.path).strengths();
    }
    let text = match args.format {
        ReportFormat::Markdown => report::markdown(&report),
        ReportFormat::Html => report::html(&report),
        ReportFormat::Json => {
            let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    output::print_stdout(&text);
    match args.fail_under {
        Some(minimum) if report.score < minimum => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

/// The folder's name (of the current folder for `.`).
fn project_name(path: &PathBuf) -> String {
    std::fs::canonicalize(path)
        .ok()
        .and_then(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| path.display().to_string())
}
