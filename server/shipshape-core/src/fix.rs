//! Fixes: the edits of a quick fix, and helpers that build edits which keep
//! the surrounding formatting.

use std::path::PathBuf;

use crate::text::TextEdit;

/// Whether a fix may be applied without a person looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Applicability {
    /// Keeps behaviour apart from the problem fixed: applied by fix-all and
    /// `check --fix`, preferred in the editor.
    Safe,
    /// Changes behaviour a person should review (a setting becomes required,
    /// origins are restricted): offered as a quick fix, never applied in bulk.
    Unsafe,
}

/// The quick fix of a finding: byte-offset edits of the finding's file,
/// and, for project rules, changes to other files of the project.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
    pub applicability: Applicability,
    /// Edits of other files and files to create, with paths relative to
    /// the project root (an editor maps them to a workspace edit with
    /// `CreateFile` operations). Empty for single-file fixes.
    pub other_files: Vec<FileChange>,
}

/// A change a fix makes to a file other than the finding's.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FileChange {
    /// Edit an existing file.
    Edit { path: PathBuf, edits: Vec<TextEdit> },
    /// Create a file that does not exist yet.
    Create { path: PathBuf, text: String },
}

impl FileChange {
    pub fn path(&self) -> &std::path::Path {
        match self {
            FileChange::Edit { path, .. } | FileChange::Create { path, .. } => path,
        }
    }
}

impl Fix {
    /// A fix of the finding's own file only.
    pub fn new(
        title: impl Into<String>,
        edits: Vec<TextEdit>,
        applicability: Applicability,
    ) -> Fix {
        Fix {
            title: title.into(),
            edits,
            applicability,
            other_files: Vec::new(),
        }
    }

    pub fn is_safe(&self) -> bool {
        self.applicability == Applicability::Safe
    }
}

/// The indentation (leading spaces and tabs) of the line holding `offset`.
pub fn line_indent(text: &str, offset: usize) -> &str {
    let start = line_start(text, offset);
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c != ' ' && c != '\t')
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The offset of the start of the line holding `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .rfind(['\n', '\r'])
        .map_or(0, |index| index + 1)
}

/// The offset just past the line break of the line holding `offset` (or the
/// end of the text).
pub fn next_line_start(text: &str, offset: usize) -> usize {
    let rest = &text[offset.min(text.len())..];
    match rest.find(['\n', '\r']) {
        Some(index) => {
            let at = offset + index;
            if text[at..].starts_with("\r\n") {
                at + 2
            } else {
                at + 1
            }
        }
        None => text.len(),
    }
}

/// The line break the text uses (`\r\n` if its first break is one).
pub fn line_break(text: &str) -> &'static str {
    match text.find('\n') {
        Some(index) if index > 0 && text.as_bytes()[index - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

impl crate::text::Shift {
    /// A fix with every edit moved over this edit; `None` when one of them
    /// touches the replaced text.
    pub fn fix(&self, fix: &Fix) -> Option<Fix> {
        let mut moved = fix.clone();
        for edit in &mut moved.edits {
            edit.range = self.range(&edit.range)?;
        }
        Some(moved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_helpers_find_lines_and_indentation() {
        let text = "a\r\n    b = 1\nc";
        let b = text.find('b').unwrap();
        assert_eq!(line_indent(text, b), "    ");
        assert_eq!(line_start(text, b), 3);
        assert_eq!(next_line_start(text, b), text.find('c').unwrap());
        assert_eq!(line_break(text), "\r\n");
        assert_eq!(next_line_start(text, text.len()), text.len());
    }
}
