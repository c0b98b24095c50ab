//! `shipshape test-rules [PATH]`: runs the fixture cases of rules, like
//! `sg test`.
//!
//! Two layouts are found under PATH (a folder, walked, or one `.scm` file):
//! - a user rule `<dir>/<id>.scm`, whose cases are the files beside it named
//!   `<id>.<ext>` (`no-print.py`, `no-print.Dockerfile`);
//! - a built-in rule folder `<kind>/<id>/rule.scm`, whose cases are the
//!   files `fixture.<ext>` in the folder. Its file must be the rule this
//!   binary was built with (a built-in rule may have a hook, which only a
//!   build brings).
//!
//! A case marks each expected finding with `# expect: <rule-id>` on the
//! line above it (see [`shipshape_core::fixture`]); every line without a
//! marker must not fire. Only the rule under test runs. A failed case
//! prints the expected and found lines as a diff; the exit status is 1 when
//! any case failed or a rule did not load, 2 when nothing was found.

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
    process::ExitCode,
};

use shipshape_core::{
    FileKind, Rule,
    check::{RULES_TIME_BUDGET, SourceFile, check_file_checked_with_user},
    fixture::expectations,
    project::ProjectContext,
    registry,
    user_rules::{self, UserRules},
};

use crate::checked::shown;

/// A rule file found under the path, and its case files.
struct RuleUnderTest {
    path: PathBuf,
    /// The rule id, from the file (user layout) or folder (built-in layout).
    id: String,
    builtin_layout: bool,
    cases: Vec<PathBuf>,
}

/// Runs the cases of every rule under `path`.
pub fn run(path: &Path) -> ExitCode {
    let mut found = Vec::new();
    if path.is_file() {
        if path.extension().is_some_and(|ext| ext == "scm") {
            found.extend(rule_at(path));
        }
    } else if path.is_dir() {
        walk(path, &mut found);
    } else {
        eprintln!(
            "shipshape test-rules: {}: no such file or folder",
            path.display()
        );
        return ExitCode::from(2);
    }
    if found.is_empty() {
        eprintln!(
            "shipshape test-rules: no rule files under {} (`<rule-id>.scm`, or `<kind>/<rule-id>/rule.scm`)",
            path.display()
        );
        return ExitCode::from(2);
    }
    let mut failed = 0;
    let mut passed = 0;
    for rule in &found {
        match test_rule(rule) {
            Ok(cases) => passed += cases,
            Err(cases) => failed += cases.max(1),
        }
    }
    println!(
        "\n{} rule{}: {passed} case{} passed, {failed} failed",
        found.len(),
        if found.len() == 1 { "" } else { "s" },
        if passed == 1 { "" } else { "s" },
    );
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn walk(dir: &Path, found: &mut Vec<RuleUnderTest>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "scm") {
            found.extend(rule_at(&path));
        }
    }
}

/// The rule file at `path` with its cases.
fn rule_at(path: &Path) -> Option<RuleUnderTest> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name()?.to_string_lossy().into_owned();
    let builtin_layout = name == "rule.scm";
    let id = if builtin_layout {
        dir.file_name()?.to_string_lossy().into_owned()
    } else {
        path.file_stem()?.to_string_lossy().into_owned()
    };
    let prefix = if builtin_layout {
        "fixture.".to_string()
    } else {
        format!("{id}.")
    };
    let mut cases: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|case| {
            case.is_file()
                && case.extension().is_none_or(|ext| ext != "scm")
                && case
                    .file_name()
                    .is_some_and(|name| name.to_string_lossy().starts_with(&prefix))
        })
        .collect();
    cases.sort();
    Some(RuleUnderTest {
        path: path.to_path_buf(),
        id,
        builtin_layout,
        cases,
    })
}

/// Runs one rule's cases: `Ok(passed)` or `Err(failed)`.
fn test_rule(found: &RuleUnderTest) -> Result<usize, usize> {
    let shown_rule = shown(&found.path);
    let text = match fs::read_to_string(&found.path) {
        Ok(text) => text,
        Err(error) => {
            println!("FAIL {}: cannot read {shown_rule}: {error}", found.id);
            return Err(1);
        }
    };
    let mut user = UserRules::default();
    let rule: &'static Rule = if found.builtin_layout {
        match registry().get(&found.id) {
            Some(rule) if rule.query_source == text => rule,
            Some(_) => {
                println!(
                    "FAIL {}: {shown_rule} differs from the built-in rule in this binary; rebuild shipshape to test it",
                    found.id
                );
                return Err(1);
            }
            None => {
                println!(
                    "FAIL {}: {shown_rule}: no built-in rule `{}` in this binary; a user rule is a `<rule-id>.scm` file with a `kind` in its header",
                    found.id, found.id
                );
                return Err(1);
            }
        }
    } else {
        let absolute = crate::checked::absolute(&found.path);
        match user_rules::compile(&absolute, &text) {
            Ok(compiled) => {
                user = UserRules::of(vec![compiled]);
                &compiled.rule
            }
            Err(error) => {
                println!(
                    "FAIL {}: the rule does not load\n  {}:{}:{}: {}",
                    found.id, shown_rule, error.line, error.column, error.message
                );
                return Err(1);
            }
        }
    };
    if found.cases.is_empty() {
        println!(
            "FAIL {}: no cases beside {shown_rule} (files named `{}`)",
            found.id,
            if found.builtin_layout {
                "fixture.<ext>".to_string()
            } else {
                format!("{}.<ext>", found.id)
            }
        );
        return Err(1);
    }
    let mut passed = 0;
    let mut failed = 0;
    for case in &found.cases {
        match test_case(rule, &user, case) {
            Ok(count) => {
                println!(
                    "ok   {}  {}  ({count} expected finding{})",
                    found.id,
                    shown(case),
                    if count == 1 { "" } else { "s" }
                );
                passed += 1;
            }
            Err(report) => {
                println!("FAIL {}  {}\n{report}", found.id, shown(case));
                failed += 1;
            }
        }
    }
    if failed > 0 { Err(failed) } else { Ok(passed) }
}

/// Checks one case with only `rule` on: `Ok(expected findings)`, or the
/// diff of expected and found lines.
fn test_case(rule: &'static Rule, user: &UserRules, case: &Path) -> Result<usize, String> {
    let text = fs::read_to_string(case).map_err(|error| format!("  cannot read: {error}"))?;
    let expected: BTreeSet<usize> = expectations(&text)
        .map_err(|error| format!("  {error}"))?
        .into_iter()
        .filter(|(_, id)| id == rule.id)
        .map(|(line, _)| line)
        .collect();
    let kind = FileKind::detect(case, &text)
        .ok_or_else(|| "  shipshape does not know this file's kind".to_string())?;
    if let shipshape_core::rule::Target::File(rule_kind) = rule.target
        && rule_kind != kind
    {
        return Err(format!(
            "  the case is a {} file; the rule looks at {} files",
            kind.name(),
            rule_kind.name()
        ));
    }
    let tree = shipshape_core::parse::parse(kind, &text, None);
    let file = SourceFile {
        path: case,
        kind,
        text: &text,
        tree: tree.as_ref(),
    };
    let project = ProjectContext::discover(case.parent().unwrap_or(Path::new(".")));
    let checked = check_file_checked_with_user(
        &file,
        &project,
        &|candidate| candidate.id == rule.id,
        RULES_TIME_BUDGET,
        user,
    );
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count();
    let found: Vec<(usize, &str)> = checked
        .findings
        .iter()
        .filter(|finding| finding.rule.id == rule.id)
        .map(|finding| (line_of(finding.range.start), finding.message.as_str()))
        .collect();
    let found_lines: BTreeSet<usize> = found.iter().map(|(line, _)| *line).collect();
    if found_lines == expected {
        return Ok(expected.len());
    }
    let lines: Vec<&str> = text.lines().collect();
    let source = |line: usize| lines.get(line).copied().unwrap_or("").trim();
    let mut report = String::from("  expected (-) vs found (+), by line:\n");
    for line in expected.union(&found_lines) {
        match (expected.contains(line), found_lines.contains(line)) {
            (true, false) => report.push_str(&format!(
                "  - {}: expected `{}`, not found  | {}\n",
                line + 1,
                rule.id,
                source(*line)
            )),
            (false, true) => {
                let message = found
                    .iter()
                    .find(|(at, _)| at == line)
                    .map_or("", |(_, message)| message);
                report.push_str(&format!(
                    "  + {}: found, not expected (no `# expect: {}` above)  | {}\n      {message}\n",
                    line + 1,
                    rule.id,
                    source(*line)
                ));
            }
            _ => report.push_str(&format!("    {}: expected and found\n", line + 1)),
        }
    }
    Err(report)
}
