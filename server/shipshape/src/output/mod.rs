//! How `check`, `rules` and `explain` print: compiler-style text with code
//! frames, one line per finding, JSON, and the CI formats (SARIF, GitHub
//! annotations, JUnit) in their own modules.

mod github;
mod gitlab;
mod junit;
mod sarif;
mod shared;

use std::io::{IsTerminal, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use ropey::Rope;
use serde::Serialize;
use shipshape_core::{Finding, Severity, registry, text::LineIndex};

use crate::{
    args::{CheckArgs, Color, Format},
    checked::CheckedFile,
};

pub(crate) use shared::repository_path;
use shared::{Span, span, summary};

/// Writes to stdout, ignoring a closed pipe (`shipshape check | head`).
pub fn print_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

#[derive(Serialize)]
struct JsonEdit {
    #[serde(flatten)]
    span: Span,
    new_text: String,
}

#[derive(Serialize)]
struct JsonFix {
    title: String,
    safe: bool,
    edits: Vec<JsonEdit>,
    /// Changes to other files (project rules): `{path, edits}` or
    /// `{path, create}` with the text of a new file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    other_files: Vec<JsonFileChange>,
}

#[derive(Serialize)]
struct JsonFileChange {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    edits: Option<Vec<JsonEdit>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    create: Option<String>,
}

fn json_file_changes(files: &[CheckedFile], fix: &shipshape_core::fix::Fix) -> Vec<JsonFileChange> {
    use shipshape_core::fix::FileChange;
    let mut out = Vec::new();
    for change in &fix.other_files {
        match change {
            FileChange::Create { path, text } => out.push(JsonFileChange {
                path: path.to_string_lossy().replace('\\', "/"),
                edits: None,
                create: Some(text.clone()),
            }),
            FileChange::Edit { path, edits } => {
                let path = path.to_string_lossy().replace('\\', "/");
                let Some(other) = files.iter().find(|file| file.display_path == path) else {
                    continue;
                };
                let rope = Rope::from_str(&other.text);
                let lines = LineIndex::new(&rope);
                out.push(JsonFileChange {
                    path,
                    edits: Some(
                        edits
                            .iter()
                            .map(|edit| JsonEdit {
                                span: span(&lines, &edit.range),
                                new_text: edit.new_text.clone(),
                            })
                            .collect(),
                    ),
                    create: None,
                });
            }
        }
    }
    out
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    path: &'a str,
    #[serde(flatten)]
    span: Span,
    severity: &'static str,
    priority: &'static str,
    category: &'static str,
    message: &'a str,
    fix: Option<JsonFix>,
}

fn json_finding<'a>(
    files: &[CheckedFile],
    file: &'a CheckedFile,
    lines: &LineIndex<'_>,
    finding: &'a Finding,
) -> JsonFinding<'a> {
    let rule = finding.rule;
    JsonFinding {
        rule: rule.id,
        path: &file.display_path,
        span: span(lines, &finding.range),
        severity: finding.severity.name(),
        priority: rule.meta.priority.name(),
        category: rule.meta.category.name(),
        message: &finding.message,
        fix: finding.fix.as_ref().map(|fix| JsonFix {
            title: fix.title.clone(),
            safe: fix.is_safe(),
            edits: fix
                .edits
                .iter()
                .map(|edit| JsonEdit {
                    span: span(lines, &edit.range),
                    new_text: edit.new_text.clone(),
                })
                .collect(),
            other_files: json_file_changes(files, fix),
        }),
    }
}

/// Prints the findings of `files`; `hidden` findings were left out because
/// the baseline has them; `io_error`: a path given could not be checked.
pub fn print_findings(files: &[CheckedFile], args: &CheckArgs, hidden: usize, io_error: bool) {
    match args.format {
        Format::Sarif => print_stdout(&sarif::render(files, args.baseline.is_some())),
        Format::Github => print_stdout(&github::render(files, hidden, io_error)),
        Format::Gitlab => print_stdout(&gitlab::render(files)),
        Format::Junit => print_stdout(&junit::render(files)),
        Format::Json => {
            let mut all = Vec::new();
            for file in files {
                let rope = Rope::from_str(&file.text);
                let lines = LineIndex::new(&rope);
                all.extend(
                    file.findings
                        .iter()
                        .map(|finding| json_finding(files, file, &lines, finding)),
                );
            }
            let mut text = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into());
            text.push('\n');
            print_stdout(&text);
        }
        Format::Concise => {
            let mut out = String::new();
            for file in files {
                let rope = Rope::from_str(&file.text);
                let lines = LineIndex::new(&rope);
                for finding in &file.findings {
                    let at = span(&lines, &finding.range);
                    out.push_str(&format!(
                        "{}:{}:{}: {}[{}] {}\n",
                        file.display_path,
                        at.line,
                        at.column,
                        finding.severity.name(),
                        finding.rule.id,
                        finding.message
                    ));
                }
            }
            out.push_str(&summary(files, hidden, io_error));
            print_stdout(&out);
        }
        Format::Text => {
            let colored = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => auto_color(
                    std::io::stdout().is_terminal(),
                    std::env::var_os("NO_COLOR"),
                    std::env::var_os("FORCE_COLOR"),
                ),
            };
            let renderer = if colored {
                Renderer::styled()
            } else {
                Renderer::plain()
            };
            let mut out = String::new();
            for file in files {
                for finding in &file.findings {
                    out.push_str(&render_frame(&renderer, file, finding));
                    out.push_str("\n\n");
                }
            }
            out.push_str(&summary(files, hidden, io_error));
            print_stdout(&out);
        }
    }
}

/// `--color auto`: `NO_COLOR` (set and not empty) turns colour off, else
/// `FORCE_COLOR` (set and not empty) turns it on, else a terminal decides
/// (<https://no-color.org>, <https://force-color.org>).
fn auto_color(
    terminal: bool,
    no_color: Option<std::ffi::OsString>,
    force_color: Option<std::ffi::OsString>,
) -> bool {
    let set = |value: &Option<std::ffi::OsString>| value.as_ref().is_some_and(|v| !v.is_empty());
    if set(&no_color) {
        false
    } else {
        set(&force_color) || terminal
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Information => Level::INFO,
        Severity::Hint => Level::HELP,
    }
}

fn render_frame(renderer: &Renderer, file: &CheckedFile, finding: &Finding) -> String {
    let rule = finding.rule;
    // An empty range still needs a caret.
    let range = if finding.range.is_empty() {
        let end = file.text[finding.range.start..]
            .chars()
            .next()
            .map_or(finding.range.start, |c| finding.range.start + c.len_utf8());
        finding.range.start..end
    } else {
        finding.range.clone()
    };
    let mut report = vec![
        level(finding.severity)
            .primary_title(finding.message.as_str())
            .id(rule.id)
            .element(
                Snippet::source(file.text.as_str())
                    .path(file.display_path.as_str())
                    .annotation(AnnotationKind::Primary.span(range)),
            ),
    ];
    if let Some(fix) = &finding.fix {
        let kind = if fix.is_safe() { "fix" } else { "fix (unsafe)" };
        report.push(Group::with_title(
            Level::HELP.secondary_title(format!("{kind}: {}", fix.title)),
        ));
    }
    renderer.render(&report)
}

#[cfg(test)]
mod tests {
    use super::auto_color;

    #[test]
    fn no_color_wins_then_force_color_then_the_terminal() {
        let set = |value: &str| Some(std::ffi::OsString::from(value));
        assert!(!auto_color(true, set("1"), set("1")));
        assert!(auto_color(false, None, set("1")));
        assert!(!auto_color(false, None, set("")));
        assert!(auto_color(true, set(""), None));
        assert!(!auto_color(false, None, None));
    }
}

#[derive(Serialize)]
struct JsonRule {
    id: &'static str,
    priority: &'static str,
    category: &'static str,
    severity: &'static str,
    applies_to: &'static str,
    summary: String,
    fix: Option<String>,
    /// `query` (pure data), `hook` (has Rust logic), `engine` (a meta rule
    /// the engine reports: `invalid-config`, `unused-suppression`) or
    /// `user` (a user rule, from `path`).
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}

/// Where a rule's logic comes from (see [`JsonRule::source`]).
fn rule_source(rule: &shipshape_core::Rule) -> &'static str {
    if rule.user_file.is_some() {
        "user"
    } else if shipshape_core::registry().has_hook(rule) {
        "hook"
    } else if rule.target == shipshape_core::rule::Target::Meta {
        "engine"
    } else {
        "query"
    }
}

/// Lists the built-in rules and the user rules of the configuration that
/// applies in the current folder; broken user rules go to stderr.
pub fn print_rules(json: bool) {
    let here = std::env::current_dir()
        .map(|dir| crate::checked::absolute(&dir))
        .unwrap_or_default();
    let settings = shipshape_core::ConfigLoader::new().settings_for(&here.join("pyproject.toml"));
    for error in settings.user_rules.errors() {
        eprintln!(
            "{}:{}:{}: {}",
            crate::checked::shown(&error.path),
            error.line,
            error.column,
            error.message
        );
    }
    let mut rules: Vec<&shipshape_core::Rule> = registry().rules.iter().collect();
    rules.extend(settings.user_rules.rules().iter().map(|rule| &rule.rule));
    rules.sort_by_key(|rule| (rule.target, rule.id));
    if json {
        let list: Vec<JsonRule> = rules
            .iter()
            .map(|rule| JsonRule {
                id: rule.id,
                priority: rule.meta.priority.name(),
                category: rule.meta.category.name(),
                severity: rule.severity().name(),
                applies_to: rule.target.name(),
                summary: rule.meta.summary.clone(),
                fix: rule.meta.fix.as_ref().map(|fix| fix.title.clone()),
                source: rule_source(rule),
                path: rule
                    .user_file
                    .as_ref()
                    .map(|path| crate::checked::shown(path)),
            })
            .collect();
        print_stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&list).unwrap_or_default()
        ));
        return;
    }
    let width = rules.iter().map(|rule| rule.id.len()).max().unwrap_or(0);
    let mut out = format!(
        "{:width$}  {:8}  {:13}  {:12}  fix\n",
        "id", "priority", "category", "applies to"
    );
    for rule in rules {
        out.push_str(&format!(
            "{:width$}  {:8}  {:13}  {:12}  {}\n",
            rule.id,
            rule.meta.priority.name(),
            rule.meta.category.name(),
            rule.target.name(),
            if rule.meta.fix.is_some() { "yes" } else { "-" }
        ));
    }
    print_stdout(&out);
}
