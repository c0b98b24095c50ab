//! `shipshape check`: walk the paths, check every file shipshape knows, in
//! parallel, and report.

use std::{
    fs,
    path::{Path, PathBuf},
    process::ExitCode,
};

use rayon::prelude::*;
use shipshape_core::{FileKind, Finding, check_text, project::ProjectContext};

use crate::{CheckArgs, output};

/// The largest file checked; larger ones are skipped with a message.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A checked file: its path as shown (relative to the root given), its text
/// and its findings.
pub struct CheckedFile {
    pub display_path: String,
    pub text: String,
    pub findings: Vec<Finding>,
}

/// A file found by the walk, with the project context of its root.
struct Candidate {
    path: PathBuf,
    display_path: String,
    /// Index into the list of project contexts.
    project: usize,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let mut candidates = Vec::new();
    let mut projects = Vec::new();
    let mut io_error = false;
    for root in &args.paths {
        if !root.exists() {
            eprintln!("shipshape: {}: no such file or folder", root.display());
            io_error = true;
            continue;
        }
        projects.push(ProjectContext::discover(&project_root(root)));
        let project = projects.len() - 1;
        if root.is_file() {
            candidates.push(Candidate {
                path: root.clone(),
                display_path: display(root),
                project,
            });
            continue;
        }
        for entry in ignore::WalkBuilder::new(root)
            .hidden(false)
            .filter_entry(|entry| entry.file_name() != ".git")
            .build()
        {
            match entry {
                Ok(entry) if entry.file_type().is_some_and(|kind| kind.is_file()) => {
                    let path = entry.into_path();
                    let relative = path.strip_prefix(root).unwrap_or(&path);
                    candidates.push(Candidate {
                        display_path: display(relative),
                        path,
                        project,
                    });
                }
                Ok(_) => {}
                Err(error) => eprintln!("shipshape: skipped: {error}"),
            }
        }
    }

    let results: Vec<Result<Option<CheckedFile>, String>> = candidates
        .par_iter()
        .map(|candidate| check_candidate(candidate, &projects[candidate.project]))
        .collect();
    let mut files = Vec::new();
    for result in results {
        match result {
            Ok(Some(file)) => files.push(file),
            Ok(None) => {}
            Err(message) => eprintln!("shipshape: skipped {message}"),
        }
    }
    files.sort_by(|a, b| a.display_path.cmp(&b.display_path));

    output::print_findings(&files, args);
    if io_error {
        return ExitCode::from(2);
    }
    let failing = args.fail_on.threshold().is_some_and(|threshold| {
        files
            .iter()
            .flat_map(|file| &file.findings)
            .any(|finding| finding.rule.severity() >= threshold)
    });
    if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The folder whose dependency files describe the project of `root`: the
/// nearest folder at or above it with a pyproject.toml, requirements.txt or
/// setup.py, else `root` itself.
fn project_root(root: &Path) -> PathBuf {
    let start = if root.is_file() {
        root.parent().unwrap_or(Path::new("."))
    } else {
        root
    };
    let start = fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    for dir in start.ancestors() {
        if ["pyproject.toml", "requirements.txt", "setup.py"]
            .iter()
            .any(|name| dir.join(name).is_file())
        {
            return dir.to_path_buf();
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    start
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Reads and checks one file. `Ok(None)` for files that are not ours;
/// `Err` says why a file of ours was skipped.
fn check_candidate(
    candidate: &Candidate,
    project: &ProjectContext,
) -> Result<Option<CheckedFile>, String> {
    let path = &candidate.path;
    let relative = Path::new(&candidate.display_path);
    // Most files are decided by name; YAML needs its content.
    let by_name = FileKind::from_path(relative);
    let is_yaml = relative
        .extension()
        .is_some_and(|ext| ext == "yaml" || ext == "yml");
    if by_name.is_none() && !is_yaml {
        return Ok(None);
    }
    let metadata =
        fs::metadata(path).map_err(|error| format!("{}: {error}", candidate.display_path))?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{}: larger than {} MiB",
            candidate.display_path,
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    let bytes = fs::read(path).map_err(|error| format!("{}: {error}", candidate.display_path))?;
    if bytes.contains(&0) {
        return Err(format!("{}: binary content", candidate.display_path));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("{}: not UTF-8 text", candidate.display_path))?;
    let Some(kind) = by_name.or_else(|| FileKind::detect(relative, &text)) else {
        return Ok(None);
    };
    let findings = check_text(relative, kind, &text, project);
    Ok(Some(CheckedFile {
        display_path: candidate.display_path.clone(),
        text,
        findings,
    }))
}
