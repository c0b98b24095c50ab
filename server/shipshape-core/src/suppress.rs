//! Suppression comments: `# shipshape: ignore[rule-a, rule-b] -- reason` on
//! a finding's line or the line just above it, and
//! `# shipshape: ignore-file[rule-a]` anywhere in a file. A name that
//! suppresses nothing is reported as `unused-suppression`.
//!
//! Peers' pragmas are honoured for the rules that declare them in
//! `equivalents`: `# noqa: CODE` and `# nosec CODE` (Python, on the
//! finding's first or last line), `# hadolint ignore=CODE` (Dockerfile, on
//! the line above) and `# hadolint global ignore=CODE` (the whole
//! Dockerfile). A pragma without codes (`# noqa`, `# nosec`) does not
//! silence shipshape.
//!
//! Reading the comments is [`crate::pragmas`]'s; this module applies them
//! to findings.

use crate::{
    check::{Finding, SourceFile},
    fix::{Applicability, Fix, line_break, line_indent, line_start, next_line_start},
    pragmas::{
        Directive, MARKER, PeerPragma, Suppressions, covers, directives, parse_line, peer_pragmas,
    },
    registry::registry,
    rule::Rule,
    text::TextEdit,
};

/// Removes the findings that a suppression comment covers.
pub fn retain_unsuppressed(file: &SourceFile<'_>, findings: &mut Vec<Finding>) {
    retain_unsuppressed_by(&Suppressions::of(file), file.text, findings);
}

/// Removes the findings that `suppressions` cover (`text` is the text they
/// were read from).
pub fn retain_unsuppressed_by(
    suppressions: &Suppressions,
    text: &str,
    findings: &mut Vec<Finding>,
) {
    apply_directives(
        text,
        findings,
        suppressions.directives(),
        suppressions.peers(),
    );
}

/// Removes suppressed findings and returns, per directive, which of its
/// names were used.
fn apply_directives(
    text: &str,
    findings: &mut Vec<Finding>,
    directives: &[Directive],
    peers: &[PeerPragma],
) -> Vec<Vec<bool>> {
    let mut used: Vec<Vec<bool>> = directives
        .iter()
        .map(|directive| vec![false; directive.rules.len()])
        .collect();
    if directives.is_empty() && peers.is_empty() {
        return used;
    }
    let line_starts = line_starts(text);
    findings.retain(|finding| {
        let line = line_of(&line_starts, finding.range.start);
        let mut suppressed = false;
        for (index, directive) in directives.iter().enumerate() {
            if !covers(directive, finding.rule.id, line) {
                continue;
            }
            suppressed = true;
            for (name, flag) in directive.rules.iter().zip(&mut used[index]) {
                if name == finding.rule.id || name == "*" {
                    *flag = true;
                }
            }
        }
        if suppressed {
            return false;
        }
        let end_line = line_of(&line_starts, finding.range.end.max(finding.range.start));
        !peers
            .iter()
            .any(|peer| peer.covers(&finding.rule.meta.equivalents, line, end_line))
    });
    used
}

/// Removes suppressed findings and adds an `unused-suppression` finding for
/// each name of a suppression comment that covered nothing. Names of rules
/// `enabled` says no to are not reported (the comment may matter where the
/// rule is on), nor is anything when `unused-suppression` itself is off.
pub fn apply_suppressions(
    file: &SourceFile<'_>,
    findings: &mut Vec<Finding>,
    enabled: &dyn Fn(&Rule) -> bool,
) {
    apply_suppressions_with(
        file,
        findings,
        enabled,
        &crate::user_rules::UserRules::default(),
    );
}

/// [`apply_suppressions`] where the user rules `user` ran too: a
/// suppression names them like built-in rules.
pub fn apply_suppressions_with(
    file: &SourceFile<'_>,
    findings: &mut Vec<Finding>,
    enabled: &dyn Fn(&Rule) -> bool,
    user: &crate::user_rules::UserRules,
) {
    let known = |name: &str| registry().get(name).or_else(|| user.get(name));
    let directives = directives(file);
    let peers = peer_pragmas(file);
    let used = apply_directives(file.text, findings, &directives, &peers);
    let Some(meta) = registry().rule(crate::rule::ids::UNUSED_SUPPRESSION) else {
        return;
    };
    if !enabled(meta) {
        return;
    }
    let mut unused = Vec::new();
    for (directive, used) in directives.iter().zip(&used) {
        let is_unused = |index: usize| {
            let name = &directive.rules[index];
            if used[index] {
                return false;
            }
            match known(name) {
                Some(rule) => enabled(rule) && rule.id != meta.id,
                None => name != "*",
            }
        };
        let unused_names: Vec<usize> = (0..directive.rules.len())
            .filter(|&i| is_unused(i))
            .collect();
        if unused_names.is_empty() {
            continue;
        }
        // Only names that can never be used again are removed by the fix
        // together; a name in use keeps the comment.
        let all_unused = unused_names.len() == directive.rules.len();
        for &index in &unused_names {
            let name = &directive.rules[index];
            let message = if known(name).is_some() {
                format!(
                    "Unused suppression: `{name}` reports nothing {}.",
                    if directive.whole_file {
                        "in this file"
                    } else {
                        "here"
                    }
                )
            } else {
                match crate::registry::closest_rule(name) {
                    Some(id) => format!(
                        "Unused suppression: `{name}` is not a shipshape rule; did you mean `{id}`?"
                    ),
                    None => format!(
                        "Unused suppression: `{name}` is not a shipshape rule (`shipshape rules` lists them)."
                    ),
                }
            };
            let edits = if all_unused {
                remove_comment(file.text, directive)
            } else {
                vec![remove_name(directive, index)]
            };
            unused.push(Finding::new(
                meta,
                directive.rule_ranges[index].clone(),
                message,
                Some(Fix {
                    title: meta.meta.fix.as_ref().map_or_else(
                        || "Remove the unused suppression".into(),
                        |fix| fix.title.clone(),
                    ),
                    edits,
                    applicability: Applicability::Safe,
                    other_files: Vec::new(),
                }),
            ));
        }
    }
    if unused.is_empty() {
        return;
    }
    // `ignore[unused-suppression]` / `ignore-file[unused-suppression]` apply
    // to these too.
    let line_starts = line_starts(file.text);
    unused.retain(|finding| {
        let line = line_of(&line_starts, finding.range.start);
        !directives.iter().any(|directive| {
            covers(directive, meta.id, line) && directive.rules.iter().any(|name| name == meta.id)
        })
    });
    findings.extend(unused);
    findings.sort_by(|a, b| {
        (a.range.start, a.range.end, a.rule.id).cmp(&(b.range.start, b.range.end, b.rule.id))
    });
}

/// Deletes a whole suppression comment: its line when it stands alone,
/// else the comment and the blanks before it.
fn remove_comment(text: &str, directive: &Directive) -> Vec<TextEdit> {
    // Another comment after it on the line (`# noqa: E501`) stays.
    let after_names = directive
        .rule_ranges
        .last()
        .map_or(directive.range.start, |range| range.end);
    // (`#` after a blank and not before a digit: `-- see #12` is a reason.)
    let rest = &text[after_names..directive.range.end];
    let next = rest
        .match_indices('#')
        .map(|(index, _)| index)
        .find(|&index| {
            rest[..index].ends_with([' ', '\t'])
                && !rest[index + 1..].starts_with(|c: char| c.is_ascii_digit())
        });
    if let Some(next) = next {
        return vec![TextEdit::delete(directive.hash..after_names + next)];
    }
    if directive.own_line {
        let start = line_start(text, directive.hash);
        return vec![TextEdit::delete(
            start..next_line_start(text, directive.hash),
        )];
    }
    let before = text[..directive.hash].trim_end_matches([' ', '\t']).len();
    vec![TextEdit::delete(before..directive.range.end)]
}

/// Deletes one name from a directive's list, with its comma.
fn remove_name(directive: &Directive, index: usize) -> TextEdit {
    let range = directive.rule_ranges[index].clone();
    if index + 1 < directive.rule_ranges.len() {
        // Up to the next name.
        TextEdit::delete(range.start..directive.rule_ranges[index + 1].start)
    } else {
        // From the end of the previous name.
        let previous = directive.rule_ranges[index - 1].end;
        TextEdit::delete(previous..range.end)
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(index, _)| index + 1))
        .collect()
}

fn line_of(line_starts: &[usize], offset: usize) -> usize {
    line_starts
        .partition_point(|&start| start <= offset)
        .saturating_sub(1)
}

/// The edit behind "ignore on this line": a comment on its own line above
/// the finding, at the line's indentation; an existing directive there is
/// extended instead.
pub fn ignore_edit(file: &SourceFile<'_>, offset: usize, rule: &str) -> Option<TextEdit> {
    if !file.kind.has_hash_comments() {
        return None;
    }
    let text = file.text;
    let start = line_start(text, offset);
    if start > 0 {
        let previous_start = line_start(text, start - 1);
        let previous_line = &text[previous_start..start];
        // Only a line with the marker can hold a directive; the line number
        // is not used here, so it is not counted (that would scan the file).
        if previous_line.contains(MARKER)
            && let Some(directive) = parse_line(file, previous_line, previous_start, 0)
            && directive.own_line
            && !directive.whole_file
        {
            if directive.rules.iter().any(|name| name == rule) {
                return None;
            }
            let close = previous_start + previous_line.find(']')?;
            let separator = if directive.rules.is_empty() { "" } else { ", " };
            return Some(TextEdit::insert(close, format!("{separator}{rule}")));
        }
    }
    let indent = line_indent(text, offset);
    Some(TextEdit::insert(
        start,
        format!("{indent}# {MARKER} ignore[{rule}]{}", line_break(text)),
    ))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::{kind::FileKind, parse::parse};

    fn python(text: &str) -> (tree_sitter::Tree, String) {
        (
            parse(FileKind::Python, text, None).unwrap(),
            text.to_string(),
        )
    }

    #[test]
    fn ignore_edit_inserts_a_comment_above_or_extends_one() {
        let (tree, text) = python("def f():\n    print(1)\n");
        let file = SourceFile {
            path: Path::new("m.py"),
            kind: FileKind::Python,
            text: &text,
            tree: Some(&tree),
        };
        let edit =
            ignore_edit(&file, text.find("print").unwrap(), "print-in-service-code").unwrap();
        let fixed = crate::text::apply_edits(&text, &[edit]).unwrap();
        assert_eq!(
            fixed,
            "def f():\n    # shipshape: ignore[print-in-service-code]\n    print(1)\n"
        );

        let (tree, text) = python(&fixed);
        let file = SourceFile {
            path: Path::new("m.py"),
            kind: FileKind::Python,
            text: &text,
            tree: Some(&tree),
        };
        let edit = ignore_edit(&file, text.find("print(").unwrap(), "other").unwrap();
        let fixed = crate::text::apply_edits(&text, &[edit]).unwrap();
        assert!(
            fixed.contains("ignore[print-in-service-code, other]"),
            "{fixed}"
        );
    }

    fn ids(kind: FileKind, path: &str, text: &str) -> Vec<(usize, &'static str)> {
        let tree = parse(kind, text, None);
        let file = SourceFile {
            path: Path::new(path),
            kind,
            text,
            tree: tree.as_ref(),
        };
        crate::check::check_file(&file, &crate::project::ProjectContext::default())
            .iter()
            .map(|finding| {
                (
                    text[..finding.range.start].matches('\n').count(),
                    finding.rule.id,
                )
            })
            .collect()
    }

    #[test]
    fn unused_names_are_reported_one_by_one() {
        let text = "try:\n    pass\nexcept:  # shipshape: ignore[bare-except, print-in-service-code, nope]\n    raise\n# shipshape: ignore-file[bare-except]\n";
        assert_eq!(
            ids(FileKind::Python, "m.py", text),
            [(2, "unused-suppression"), (2, "unused-suppression")]
        );
        // Silencing the meta rule itself.
        let text = "# shipshape: ignore-file[unused-suppression]\nx = 1  # shipshape: ignore[bare-except]\n";
        assert_eq!(ids(FileKind::Python, "m.py", text), []);
    }

    #[test]
    fn peer_pragmas_silence_equivalent_rules_only() {
        let code = "try:\n    pass\nexcept:  # noqa: E722\n    raise\n";
        assert_eq!(ids(FileKind::Python, "m.py", code), []);
        let other_code = "try:\n    pass\nexcept:  # noqa: E501\n    raise\n";
        assert_eq!(
            ids(FileKind::Python, "m.py", other_code),
            [(2, "bare-except")]
        );
        let blanket = "try:\n    pass\nexcept:  # noqa\n    raise\n";
        assert_eq!(ids(FileKind::Python, "m.py", blanket), [(2, "bare-except")]);
        let in_string = "s = '# noqa: E722'\ntry:\n    pass\nexcept:\n    raise\n";
        assert_eq!(
            ids(FileKind::Python, "m.py", in_string),
            [(3, "bare-except")]
        );
    }

    #[test]
    fn removing_an_unused_comment_keeps_other_comments_on_its_line() {
        let text = "x = 1  # shipshape: ignore[bare-except] # noqa: E501\n# shipshape: ignore[bare-except]\ny = 2\n";
        let fixed = crate::fixall::fix_all(
            Path::new("m.py"),
            FileKind::Python,
            text,
            &crate::project::ProjectContext::default(),
            &crate::settings::FileSettings::default(),
            false,
        );
        assert_eq!(fixed.text, "x = 1  # noqa: E501\ny = 2\n");
        let text = "x = 1  # shipshape: ignore[bare-except] -- see #12\n";
        let fixed = crate::fixall::fix_all(
            Path::new("m.py"),
            FileKind::Python,
            text,
            &crate::project::ProjectContext::default(),
            &crate::settings::FileSettings::default(),
            false,
        );
        assert_eq!(fixed.text, "x = 1\n");
    }
}
