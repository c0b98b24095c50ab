//! Baselines: `check --baseline-write FILE` records today's findings,
//! `check --baseline FILE` reports (and fails on) only the new ones.
//!
//! The file is JSON: `{"version": 1, "findings": [{"rule", "path",
//! "fingerprint", "line", "message"}]}`. Paths are relative to the
//! baseline's folder, so the same baseline works whatever folder `check` is
//! given. A finding matches a recorded one by fingerprint
//! (`shipshape_core::fingerprint`: rule, path, normalised code, occurrence),
//! so findings keep matching when lines move; `line` and `message` are only
//! for people reading the file.

use std::{collections::HashMap, fs, path::Path};

use serde::{Deserialize, Serialize};

pub use crate::checked::State;
use crate::checked::{CheckedFile, absolute};

pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    pub fingerprint: String,
    #[serde(default)]
    pub line: u32,
    #[serde(default)]
    pub message: String,
}

#[derive(Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// The path of `file` relative to the baseline's folder, `/`-separated.
pub fn stable_path(baseline: &Path, file: &Path) -> Option<String> {
    let dir = absolute(
        baseline
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    );
    file.strip_prefix(&dir)
        .ok()
        .map(|relative| relative.to_string_lossy().replace('\\', "/"))
}

/// Writes the findings of `files`; returns how many.
pub fn write(path: &Path, files: &[CheckedFile]) -> std::io::Result<usize> {
    let mut findings = Vec::new();
    for file in files {
        for (finding, fingerprint) in file.findings.iter().zip(&file.fingerprints) {
            let line = file.text[..finding.range.start.min(file.text.len())]
                .matches('\n')
                .count()
                + 1;
            findings.push(Entry {
                rule: finding.rule.id.to_string(),
                path: stable_path(path, &file.path).unwrap_or_else(|| file.display_path.clone()),
                fingerprint: fingerprint.clone(),
                line: line as u32,
                message: finding.message.clone(),
            });
        }
    }
    findings.sort_by(|a, b| (&a.path, a.line, &a.rule).cmp(&(&b.path, b.line, &b.rule)));
    let count = findings.len();
    let mut text = serde_json::to_string_pretty(&Baseline {
        version: VERSION,
        findings,
    })
    .map_err(std::io::Error::other)?;
    text.push('\n');
    fs::write(path, text)?;
    Ok(count)
}

pub fn read(path: &Path) -> Result<Baseline, String> {
    let text = fs::read_to_string(path).map_err(|error| error.to_string())?;
    let baseline: Baseline = serde_json::from_str(&text)
        .map_err(|error| format!("not a shipshape baseline: {error}"))?;
    if baseline.version != VERSION {
        return Err(format!(
            "baseline version {} is not supported (this shipshape writes {VERSION})",
            baseline.version
        ));
    }
    Ok(baseline)
}

/// Marks each finding new or unchanged. Each recorded finding matches at
/// most one current finding.
pub fn mark(baseline: &Baseline, files: &mut [CheckedFile]) {
    let mut remaining: HashMap<&str, usize> = HashMap::new();
    for entry in &baseline.findings {
        *remaining.entry(entry.fingerprint.as_str()).or_default() += 1;
    }
    for file in files {
        file.baseline = file
            .fingerprints
            .iter()
            .map(
                |fingerprint| match remaining.get_mut(fingerprint.as_str()) {
                    Some(count) if *count > 0 => {
                        *count -= 1;
                        State::Unchanged
                    }
                    _ => State::New,
                },
            )
            .collect();
    }
}

/// Removes the findings in the baseline; returns how many.
pub fn drop_unchanged(files: &mut [CheckedFile]) -> usize {
    let mut dropped = 0;
    for file in files {
        let states = std::mem::take(&mut file.baseline);
        let mut keep = states.iter().map(|state| *state == State::New);
        let before = file.findings.len();
        file.findings.retain(|_| keep.next().unwrap_or(true));
        let mut keep = states.iter().map(|state| *state == State::New);
        file.fingerprints.retain(|_| keep.next().unwrap_or(true));
        dropped += before - file.findings.len();
        file.baseline = vec![State::New; file.findings.len()];
    }
    dropped
}
