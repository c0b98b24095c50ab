//! The data-driven rule harness. Every file under `tests/fixtures/<kind>/`
//! is checked with the project context found beside it; the exact set of
//! (line, rule) findings must equal the file's `# expect:` lines. Then every
//! fix is applied on its own: the fixed text must parse with no more syntax
//! errors than the original and the finding must be gone. The text with all
//! fixes applied is snapshotted, so a fix's exact output is reviewed.

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
};

use ropey::Rope;
use shipshape_core::{
    FileKind, Finding, SourceFile, check_file,
    parse::{error_count, parse},
    project::ProjectContext,
    text::{Encoding, LineIndex, apply_edits},
};
use shipshape_tests::{expectations, files_under, repo_root};

fn fixtures_root() -> PathBuf {
    repo_root().join("tests/fixtures")
}

/// The project context of a fixture: discovered in the nearest folder (up
/// to its kind folder) that has a dependency file.
fn project_for(kind_dir: &Path, path: &Path) -> ProjectContext {
    let mut dir = path.parent();
    while let Some(current) = dir {
        let has_manifest = ["pyproject.toml", "requirements.txt", "setup.py"]
            .iter()
            .any(|name| current.join(name).is_file());
        if has_manifest {
            return ProjectContext::discover(current);
        }
        if current == kind_dir {
            break;
        }
        dir = current.parent();
    }
    ProjectContext::default()
}

struct Checked {
    findings: Vec<Finding>,
    errors: usize,
}

fn check_text(relative: &Path, kind: FileKind, text: &str, project: &ProjectContext) -> Checked {
    let tree = parse(kind, text, None);
    let file = SourceFile {
        path: relative,
        kind,
        text,
        tree: tree.as_ref(),
    };
    Checked {
        findings: check_file(&file, project),
        errors: tree.as_ref().map_or(0, error_count),
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    let rope = Rope::from_str(text);
    LineIndex::new(&rope).position(offset, Encoding::Utf8).line as usize
}

/// Checks one fixture; returns a description of each failure.
fn run_fixture(kind_dir: &Path, path: &Path) -> Result<Option<String>, Vec<String>> {
    let relative = path.strip_prefix(kind_dir).unwrap();
    let Ok(text) = fs::read_to_string(path) else {
        return Ok(None);
    };
    let Some(kind) = FileKind::detect(relative, &text) else {
        return Ok(None);
    };
    let project = project_for(kind_dir, path);
    let mut failures = Vec::new();
    let checked = check_text(relative, kind, &text, &project);
    let expected = expectations(&text);
    let actual: BTreeSet<(usize, String)> = checked
        .findings
        .iter()
        .map(|finding| {
            (
                line_of(&text, finding.range.start),
                finding.rule.id.to_string(),
            )
        })
        .collect();
    for (line, rule) in expected.difference(&actual) {
        failures.push(format!(
            "{}:{}: expected {rule}, not reported",
            relative.display(),
            line + 1
        ));
    }
    for (line, rule) in actual.difference(&expected) {
        failures.push(format!(
            "{}:{}: unexpected {rule}",
            relative.display(),
            line + 1
        ));
    }

    // Each fix on its own: valid, and the finding goes away.
    let mut all_fixed = text.clone();
    for finding in &checked.findings {
        let Some(fix) = &finding.fix else { continue };
        let where_ = format!(
            "{}:{}: fix `{}` of {}",
            relative.display(),
            line_of(&text, finding.range.start) + 1,
            fix.title,
            finding.rule.id
        );
        let fixed = match apply_edits(&text, &fix.edits) {
            Ok(fixed) => fixed,
            Err(error) => {
                failures.push(format!("{where_}: edits do not apply: {error}"));
                continue;
            }
        };
        let after = check_text(relative, kind, &fixed, &project);
        if after.errors > checked.errors {
            failures.push(format!("{where_}: leaves syntax errors:\n{fixed}"));
        }
        let before_count = checked
            .findings
            .iter()
            .filter(|other| other.rule.id == finding.rule.id)
            .count();
        let after_count = after
            .findings
            .iter()
            .filter(|other| other.rule.id == finding.rule.id)
            .count();
        if after_count >= before_count {
            failures.push(format!(
                "{where_}: the finding stays after the fix:\n{fixed}"
            ));
        }
    }
    // All fixes, one round at a time until none is left: they converge.
    for _round in 0..20 {
        let now = check_text(relative, kind, &all_fixed, &project);
        let Some(fix) = now.findings.iter().find_map(|finding| finding.fix.as_ref()) else {
            break;
        };
        match apply_edits(&all_fixed, &fix.edits) {
            Ok(fixed) if fixed != all_fixed => all_fixed = fixed,
            _ => {
                failures.push(format!(
                    "{}: fix `{}` does not change the text",
                    relative.display(),
                    fix.title
                ));
                break;
            }
        }
    }
    if failures.is_empty() {
        let has_fix = checked.findings.iter().any(|finding| finding.fix.is_some());
        Ok(has_fix.then_some(all_fixed))
    } else {
        Err(failures)
    }
}

#[test]
fn fixtures() {
    let root = fixtures_root();
    let mut failures = Vec::new();
    let mut checked = 0;
    for kind in FileKind::ALL {
        let kind_dir = root.join(kind.name());
        for path in files_under(&kind_dir) {
            match run_fixture(&kind_dir, &path) {
                Ok(fixed) => {
                    checked += 1;
                    if let Some(fixed) = fixed {
                        let name = path
                            .strip_prefix(&root)
                            .unwrap()
                            .display()
                            .to_string()
                            .replace(['/', '\\'], "__");
                        insta::with_settings!({ snapshot_path => repo_root().join("tests/snapshots"), prepend_module_to_snapshot => false, omit_expression => true }, {
                            insta::assert_snapshot!(format!("fixed__{name}"), fixed);
                        });
                    }
                }
                Err(errors) => failures.extend(errors),
            }
        }
    }
    assert!(checked > 0, "no fixtures found under {}", root.display());
    assert!(
        failures.is_empty(),
        "{} fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
