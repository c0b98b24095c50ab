//! Suppression comments: `# shipshape: ignore[rule-a, rule-b] -- reason` on
//! a finding's line or the line just above it, and
//! `# shipshape: ignore-file[rule-a]` anywhere in a file.

use std::ops::Range;

use crate::{
    check::{Finding, SourceFile},
    fix::{line_break, line_indent, line_start},
    text::TextEdit,
};

const MARKER: &str = "shipshape:";

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Zero-based line of the comment.
    pub line: usize,
    /// The byte range of the directive text (`shipshape: ignore[...]`).
    pub range: Range<usize>,
    pub rules: Vec<String>,
    pub whole_file: bool,
    /// Whether the comment is alone on its line (it then covers the next line).
    pub own_line: bool,
    pub reason: Option<String>,
}

/// Finds the suppression comments of a file. A `#` inside a string does not
/// count: where the file has a tree, the directive must sit in a comment node.
pub fn directives(file: &SourceFile<'_>) -> Vec<Directive> {
    if !file.kind.has_hash_comments() || !file.text.contains(MARKER) {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut line_start = 0;
    for (line_number, line) in file.text.split_inclusive('\n').enumerate() {
        if let Some(directive) = parse_line(file, line, line_start, line_number) {
            found.push(directive);
        }
        line_start += line.len();
    }
    found
}

fn parse_line(
    file: &SourceFile<'_>,
    line: &str,
    line_start: usize,
    line_number: usize,
) -> Option<Directive> {
    let marker = line.find(MARKER)?;
    let hash = line[..marker].rfind('#')?;
    if !line[hash + 1..marker].trim().is_empty() {
        return None;
    }
    let offset = line_start + hash;
    if let Some(tree) = file.tree {
        let node = tree
            .root_node()
            .descendant_for_byte_range(offset, offset + 1)?;
        if node.kind() != "comment" {
            return None;
        }
    }
    let rest = line[marker + MARKER.len()..].trim_start();
    let (whole_file, rest) = if let Some(rest) = rest.strip_prefix("ignore-file") {
        (true, rest)
    } else {
        (false, rest.strip_prefix("ignore")?)
    };
    let rest = rest.strip_prefix('[')?;
    let close = rest.find(']')?;
    let rules: Vec<String> = rest[..close]
        .split(',')
        .map(|rule| rule.trim().to_string())
        .filter(|rule| !rule.is_empty())
        .collect();
    let after = rest[close + 1..].trim();
    let reason = after
        .strip_prefix("--")
        .map(|reason| reason.trim().to_string())
        .filter(|reason| !reason.is_empty());
    let directive_start = line_start + marker;
    let directive_end = line_start + line.len() - (line.len() - line.trim_end().len());
    Some(Directive {
        line: line_number,
        range: directive_start..directive_end,
        rules,
        whole_file,
        own_line: line[..hash].trim().is_empty(),
        reason,
    })
}

/// Whether `directive` covers a finding of `rule` starting on `line`.
pub fn covers(directive: &Directive, rule: &str, line: usize) -> bool {
    let names_rule = directive
        .rules
        .iter()
        .any(|name| name == rule || name == "*");
    names_rule
        && (directive.whole_file
            || directive.line == line
            || directive.own_line && directive.line + 1 == line)
}

/// Removes the findings that a suppression comment covers.
pub fn retain_unsuppressed(file: &SourceFile<'_>, findings: &mut Vec<Finding>) {
    let directives = directives(file);
    if directives.is_empty() {
        return;
    }
    let line_starts = line_starts(file.text);
    findings.retain(|finding| {
        let line = line_of(&line_starts, finding.range.start);
        !directives
            .iter()
            .any(|directive| covers(directive, finding.rule.id, line))
    });
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
        let line_number = text[..previous_start].matches('\n').count();
        if let Some(directive) = parse_line(file, previous_line, previous_start, line_number)
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
    fn directives_are_read_from_comments_only() {
        let (tree, text) = python(
            "x = 1  # shipshape: ignore[a, b] -- known\ns = '# shipshape: ignore[c]'\n# shipshape: ignore-file[d]\n",
        );
        let file = SourceFile {
            path: Path::new("m.py"),
            kind: FileKind::Python,
            text: &text,
            tree: Some(&tree),
        };
        let found = directives(&file);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].rules, ["a", "b"]);
        assert_eq!(found[0].reason.as_deref(), Some("known"));
        assert!(!found[0].own_line);
        assert!(found[1].whole_file);
        assert!(covers(&found[0], "a", 0));
        assert!(!covers(&found[0], "a", 1));
        assert!(covers(&found[1], "d", 7));
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
}
