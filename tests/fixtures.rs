//! The data-driven rule harness. Every fixture (a rule folder's
//! `fixture.<ext>` and `fixture/**`, and the shared files under
//! `tests/fixtures/<kind>/`; see `shipshape_tests::fixture_files`) is
//! checked with the project context found beside it; the exact set of
//! (line, rule) findings must equal the file's `# expect:` lines. Then every
//! fix is applied on its own: the fixed text must parse with no more syntax
//! errors than the original and the finding must be gone; all fixes applied
//! one round at a time must converge. Finally an insta snapshot beside the
//! rule (`rules/<kind>/<id>/snapshots/`) pins each finding's range, rule,
//! severity and message, each fix's title, safety and diff, and the diff of
//! all fixes applied, so a changed message, range or fix is reviewed.

use std::{collections::BTreeSet, fmt::Write as _, fs, path::Path};

use ropey::Rope;
use shipshape_core::{
    FileKind, Finding, SourceFile, check_file,
    fix::{Applicability, FileChange},
    parse::{error_count, parse},
    project::ProjectContext,
    text::{Encoding, LineIndex, apply_edits},
};
use shipshape_tests::{FixtureFile, expectations, fixture_files, repo_root};

/// The project context of a fixture: discovered in the nearest folder (up
/// to the folder it is checked from) that has a dependency file.
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

/// `line:column`, both 1-based, the column in characters.
fn place(text: &str, offset: usize) -> String {
    let rope = Rope::from_str(text);
    let position = LineIndex::new(&rope).position(offset, Encoding::Utf32);
    format!("{}:{}", position.line + 1, position.column + 1)
}

fn diff(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .header(name, &format!("{name} (fixed)"))
        .to_string()
}

/// What the snapshot pins: every finding (`line:col-line:col rule-id
/// severity message`), then for each fix its title, safety and the unified
/// diff of the fixed text, then the diff of all fixes applied together.
fn pinned(name: &str, text: &str, findings: &[Finding], all_fixed: &str) -> String {
    let mut out = String::from("findings:\n");
    if findings.is_empty() {
        out.push_str("  (none)\n");
    }
    for finding in findings {
        writeln!(
            out,
            "  {}-{} {} {} {}",
            place(text, finding.range.start),
            place(text, finding.range.end),
            finding.rule.id,
            finding.severity.name(),
            finding.message
        )
        .unwrap();
    }
    for finding in findings {
        let Some(fix) = &finding.fix else { continue };
        let safety = match fix.applicability {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        };
        writeln!(
            out,
            "\nfix of {} at {}: {} ({safety})",
            finding.rule.id,
            place(text, finding.range.start),
            fix.title
        )
        .unwrap();
        match apply_edits(text, &fix.edits) {
            Ok(fixed) => out.push_str(&diff(name, text, &fixed)),
            Err(error) => writeln!(out, "edits do not apply: {error}").unwrap(),
        }
        for change in &fix.other_files {
            match change {
                FileChange::Edit { path, edits } => {
                    writeln!(out, "also edits {} ({} edits)", path.display(), edits.len())
                }
                FileChange::Create { path, text } => {
                    writeln!(out, "also creates {}:\n{text}", path.display())
                }
            }
            .unwrap();
        }
    }
    if all_fixed != text {
        out.push_str("\nall fixes applied:\n");
        out.push_str(&diff(name, text, all_fixed));
    }
    out
}

/// Checks one fixture; returns its pinned snapshot text, or a description
/// of each failure. `None` for a file of no kind the rules read.
fn run_fixture(fixture: &FixtureFile) -> Result<Option<String>, Vec<String>> {
    let path = fixture.path.as_path();
    let relative = fixture.relative.as_path();
    let Ok(text) = fs::read_to_string(path) else {
        return Ok(None);
    };
    let Some(kind) = FileKind::detect(relative, &text) else {
        return Ok(None);
    };
    // Paths the rules read (another file of the fixture) are under its root.
    let project = project_for(&fixture.root, path).with_base(&fixture.root);
    let shown = path.strip_prefix(repo_root()).unwrap_or(path);
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
            shown.display(),
            line + 1
        ));
    }
    for (line, rule) in actual.difference(&expected) {
        failures.push(format!(
            "{}:{}: unexpected {rule}",
            shown.display(),
            line + 1
        ));
    }

    // Each fix on its own: valid, and the finding goes away.
    let mut all_fixed = text.clone();
    for finding in &checked.findings {
        let Some(fix) = &finding.fix else { continue };
        let where_ = format!(
            "{}:{}: fix `{}` of {}",
            shown.display(),
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
                    shown.display(),
                    fix.title
                ));
                break;
            }
        }
    }
    if failures.is_empty() {
        let name = relative.to_string_lossy();
        Ok(Some(pinned(&name, &text, &checked.findings, &all_fixed)))
    } else {
        Err(failures)
    }
}

#[test]
fn fixtures() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut in_rule_folders = 0;
    for fixture in fixture_files() {
        match run_fixture(&fixture) {
            Ok(Some(snapshot)) => {
                checked += 1;
                in_rule_folders += usize::from(fixture.rule.is_some());
                insta::with_settings!({
                    snapshot_path => &fixture.snapshot_dir,
                    prepend_module_to_snapshot => false,
                    omit_expression => true,
                    input_file => &fixture.path,
                }, {
                    insta::assert_snapshot!(fixture.snapshot_name.clone(), snapshot);
                });
            }
            Ok(None) => {}
            Err(errors) => failures.extend(errors),
        }
    }
    assert!(checked > 0, "no fixtures found");
    assert!(in_rule_folders > 0, "no fixture in a rule folder");
    assert!(
        failures.is_empty(),
        "{} fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
