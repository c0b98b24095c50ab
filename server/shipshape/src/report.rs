//! `shipshape report`: check a project and print the readiness review
//! (score, categories, findings by urgency) as Markdown, JSON or HTML. The
//! scoring and rendering live in `shipshape_core::report`.

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use ropey::Rope;
use shipshape_core::{
    FileKind,
    project::Project,
    report::{self, ReportInput},
    text::{Encoding, LineIndex},
};

use crate::{
    args::{ReportArgs, ReportFormat},
    check, output,
};

/// The format `-o FILE` asks for by its extension.
fn format_of(path: &Path) -> Option<ReportFormat> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "md" | "markdown" => Some(ReportFormat::Markdown),
        "json" => Some(ReportFormat::Json),
        "html" | "htm" => Some(ReportFormat::Html),
        _ => None,
    }
}

/// Whether the folder holds something to review: Python code, a
/// dependency file or a Dockerfile.
fn has_a_service(project: &Project) -> bool {
    project.files().any(|file| {
        matches!(
            file.kind,
            Some(FileKind::Python | FileKind::Requirements | FileKind::Dockerfile)
        ) || file
            .path
            .file_name()
            .is_some_and(|name| name == "pyproject.toml")
    })
}

pub fn run(args: &ReportArgs) -> ExitCode {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, None) => ReportFormat::Markdown,
        (None, Some(path)) => match format_of(path) {
            Some(format) => format,
            None => {
                eprintln!(
                    "shipshape: {}: cannot tell the format from the extension; use .md, .json or .html, or --format",
                    path.display()
                );
                return ExitCode::from(2);
            }
        },
    };
    if !args.path.is_dir() {
        let reason = if args.path.exists() {
            "not a folder; `report` scores a project folder (`check` takes files)"
        } else {
            "no such file or folder"
        };
        eprintln!("shipshape: {}: {reason}", crate::checked::shown(&args.path));
        return ExitCode::from(2);
    }
    let project = Project::load(&args.path);
    if !has_a_service(&project) {
        eprintln!(
            "shipshape: {}: found no Python service here (no Python file, dependency file or Dockerfile); nothing to score",
            crate::checked::shown(&args.path)
        );
        return ExitCode::from(2);
    }
    // The report scores what `check` reports: configuration applies.
    let settings = check::Settings::nearest();
    let input = check::Input {
        paths: std::slice::from_ref(&args.path),
        stdin: None,
    };
    let (files, io_error) = check::collect(&input, &settings, check::FixMode::Off, false, None);
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
                project_wide: report::is_project_wide(finding.rule.id),
            });
        }
    }
    let mut report = report::build(&project_name(&args.path), &inputs);
    report.strengths = project.strengths();
    let text = match format {
        ReportFormat::Markdown => report::markdown(&report),
        ReportFormat::Html => report::html(&report),
        ReportFormat::Json => {
            let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(error) = crate::atomic::write(path, &text, crate::atomic::Target::Overwrite)
            {
                eprintln!("shipshape: {}: {error}", path.display());
                return ExitCode::from(2);
            }
            eprintln!(
                "shipshape: wrote the report ({}/100) to {}",
                report.score,
                crate::checked::shown(path)
            );
        }
        None => output::print_stdout(&text),
    }
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
