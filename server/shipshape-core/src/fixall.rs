//! Fix-all: apply every safe fix of a file (optionally the unsafe ones too),
//! re-checking and re-applying until nothing is left to fix. What
//! `check --fix` and the editor's `source.fixAll.shipshape` do.

use std::path::Path;

use crate::{
    check::{Finding, SourceFile, check_file_with_settings},
    kind::FileKind,
    parse::{error_count, parse},
    project::ProjectContext,
    settings::FileSettings,
    text::{TextEdit, apply_edits},
};

/// The most rounds of check-and-fix before giving up (fixes that keep
/// producing new findings would otherwise never stop).
pub const MAX_ROUNDS: usize = 10;

/// A fix that was applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedFix {
    pub rule: &'static str,
    pub title: String,
}

/// The outcome of [`fix_all`].
#[derive(Clone, Debug)]
pub struct FixAll {
    /// The text with the fixes applied (the input when none applied).
    pub text: String,
    pub applied: Vec<AppliedFix>,
    /// The findings of the final text.
    pub remaining: Vec<Finding>,
}

impl FixAll {
    pub fn changed(&self) -> bool {
        !self.applied.is_empty()
    }
}

fn edits_conflict(a: &[TextEdit], b: &[TextEdit]) -> bool {
    a.iter().any(|x| {
        b.iter()
            .any(|y| x.range.start <= y.range.end && y.range.start <= x.range.end)
    })
}

struct Checked {
    findings: Vec<Finding>,
    errors: usize,
}

fn check(
    path: &Path,
    kind: FileKind,
    text: &str,
    project: &ProjectContext,
    settings: &FileSettings,
) -> Checked {
    let tree = parse(kind, text, None);
    let file = SourceFile {
        path,
        kind,
        text,
        tree: tree.as_ref(),
    };
    Checked {
        findings: check_file_with_settings(&file, project, settings),
        errors: tree.as_ref().map_or(0, error_count),
    }
}

/// Applies the fixes of a file until none is left (at most [`MAX_ROUNDS`]
/// rounds). Each round applies every fix whose edits do not touch another's;
/// a round that would add syntax errors is retried one fix at a time and
/// fixes that break the file are left out.
pub fn fix_all(
    path: &Path,
    kind: FileKind,
    text: &str,
    project: &ProjectContext,
    settings: &FileSettings,
    include_unsafe: bool,
) -> FixAll {
    let mut current = text.to_string();
    let mut applied = Vec::new();
    let mut checked = check(path, kind, &current, project, settings);
    // Fixes that broke the file, by (rule, title, edits): never retried.
    let mut rejected: Vec<(&'static str, Vec<TextEdit>)> = Vec::new();
    for _round in 0..MAX_ROUNDS {
        let mut batch: Vec<&Finding> = Vec::new();
        for finding in &checked.findings {
            let Some(fix) = &finding.fix else { continue };
            if !(fix.is_safe() || include_unsafe) || fix.edits.is_empty() {
                continue;
            }
            if rejected
                .iter()
                .any(|(rule, edits)| *rule == finding.rule.id && *edits == fix.edits)
            {
                continue;
            }
            let conflicts = batch.iter().any(|other| {
                other
                    .fix
                    .as_ref()
                    .is_some_and(|other| edits_conflict(&other.edits, &fix.edits))
            });
            if !conflicts {
                batch.push(finding);
            }
        }
        if batch.is_empty() {
            break;
        }
        let edits: Vec<TextEdit> = batch
            .iter()
            .filter_map(|finding| finding.fix.as_ref())
            .flat_map(|fix| fix.edits.iter().cloned())
            .collect();
        let candidate = apply_edits(&current, &edits)
            .ok()
            .map(|fixed| (check(path, kind, &fixed, project, settings), fixed))
            .filter(|(after, fixed)| after.errors <= checked.errors && *fixed != current);
        if let Some((after, fixed)) = candidate {
            applied.extend(batch.iter().map(|finding| {
                AppliedFix {
                    rule: finding.rule.id,
                    title: finding
                        .fix
                        .as_ref()
                        .map(|fix| fix.title.clone())
                        .unwrap_or_default(),
                }
            }));
            current = fixed;
            checked = after;
            continue;
        }
        // One at a time: keep the first fix that applies cleanly.
        let mut progressed = false;
        for finding in batch {
            let Some(fix) = &finding.fix else { continue };
            let result = apply_edits(&current, &fix.edits)
                .ok()
                .map(|fixed| (check(path, kind, &fixed, project, settings), fixed))
                .filter(|(after, fixed)| after.errors <= checked.errors && *fixed != current);
            match result {
                Some((after, fixed)) => {
                    applied.push(AppliedFix {
                        rule: finding.rule.id,
                        title: fix.title.clone(),
                    });
                    current = fixed;
                    checked = after;
                    progressed = true;
                    break;
                }
                None => rejected.push((finding.rule.id, fix.edits.clone())),
            }
        }
        if !progressed && rejected.is_empty() {
            break;
        }
    }
    FixAll {
        text: current,
        applied,
        remaining: checked.findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, include_unsafe: bool) -> FixAll {
        fix_all(
            Path::new("app.py"),
            FileKind::Python,
            text,
            &ProjectContext::default(),
            &FileSettings::default(),
            include_unsafe,
        )
    }

    #[test]
    fn every_safe_fix_is_applied_and_a_second_run_changes_nothing() {
        let text =
            "try:\n    a()\nexcept:\n    raise\n\ntry:\n    b()\nexcept:  # why\n    raise\n";
        let fixed = run(text, false);
        assert_eq!(
            fixed.text,
            "try:\n    a()\nexcept Exception:\n    raise\n\ntry:\n    b()\nexcept Exception:  # why\n    raise\n"
        );
        assert_eq!(fixed.applied.len(), 2);
        assert!(fixed.remaining.is_empty());
        let again = run(&fixed.text, false);
        assert!(!again.changed());
        assert_eq!(again.text, fixed.text);
    }

    #[test]
    fn unused_suppressions_are_removed_and_used_ones_kept() {
        let text = "# shipshape: ignore[bare-except]\nx = 1\ntry:\n    pass\n# shipshape: ignore[bare-except, no-such-rule] -- legacy\nexcept:\n    raise\n";
        let fixed = run(text, false);
        assert_eq!(
            fixed.text,
            "x = 1\ntry:\n    pass\n# shipshape: ignore[bare-except] -- legacy\nexcept:\n    raise\n"
        );
        assert!(fixed.remaining.is_empty(), "{:?}", fixed.remaining);
    }

    #[test]
    fn nothing_to_fix_leaves_the_text_alone() {
        let fixed = run("def f(:\n", true);
        assert_eq!(fixed.text, "def f(:\n");
        assert!(!fixed.changed());
    }
}
