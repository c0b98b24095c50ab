//! GitLab Code Quality JSON (the subset of the Code Climate spec GitLab's
//! merge request widget reads): an array of issues, each with
//! `description`, `check_name`, `fingerprint` (unique per finding),
//! `severity` (`info`, `minor`, `major`, `critical` or `blocker`) and
//! `location.path` (relative to the repository's root) with
//! `location.lines.begin`.

use ropey::Rope;
use serde::Serialize;
use shipshape_core::{Severity, text::LineIndex};

use super::shared::{repository_path, span};
use crate::checked::CheckedFile;

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

/// GitLab's severity for ours: an error blocks nothing by itself in
/// GitLab, so it is `critical`; `blocker` is not used.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Information => "minor",
        Severity::Hint => "info",
    }
}

pub fn render(files: &[CheckedFile]) -> String {
    let mut issues = Vec::new();
    for file in files {
        let rope = Rope::from_str(&file.text);
        let lines = LineIndex::new(&rope);
        let path = repository_path(file);
        for (index, finding) in file.findings.iter().enumerate() {
            let at = span(&lines, &finding.range);
            issues.push(Issue {
                description: finding.message.clone(),
                check_name: finding.rule.id,
                // The fingerprints tell apart identical findings of a file
                // by occurrence, so each is unique, as GitLab needs.
                fingerprint: file.fingerprints.get(index).cloned().unwrap_or_default(),
                severity: severity(finding.severity),
                location: Location {
                    path: path.clone(),
                    lines: Lines {
                        begin: at.line,
                        end: at.end_line,
                    },
                },
            });
        }
    }
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}
