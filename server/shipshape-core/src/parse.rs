//! Parsing with one reusable parser per grammar and thread.

use std::{cell::RefCell, collections::HashMap, ops::Range};

use tree_sitter::{InputEdit, Parser, Point, Tree};

use crate::{kind::FileKind, text::TextEdit};

thread_local! {
    static PARSERS: RefCell<HashMap<FileKind, Parser>> = RefCell::new(HashMap::new());
}

/// Parses `text` as `kind`, reusing `old_tree` (already edited with
/// `Tree::edit`) for an incremental parse. `None` for kinds without a grammar.
pub fn parse(kind: FileKind, text: &str, old_tree: Option<&Tree>) -> Option<Tree> {
    let language = kind.language()?;
    // Compose and plain YAML share a grammar; key by grammar-bearing kind.
    let key = match kind {
        FileKind::Yaml => FileKind::Compose,
        other => other,
    };
    PARSERS.with(|parsers| {
        let mut parsers = parsers.borrow_mut();
        let parser = parsers.entry(key).or_insert_with(|| {
            let mut parser = Parser::new();
            // The grammars are built with this tree-sitter; a version
            // mismatch is caught by a test, so this cannot fail at run time.
            parser
                .set_language(&language)
                .expect("grammar matches tree-sitter version");
            parser
        });
        parser.parse(text, old_tree)
    })
}

/// How many syntax errors a tree holds: ERROR nodes, MISSING nodes, and
/// nodes that report an error none of their visible children carries (a
/// MISSING token of a hidden rule is not visited by a cursor).
pub fn error_count(tree: &Tree) -> usize {
    // An explicit stack: deeply nested input must not overflow the call stack.
    let mut count = 0;
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if !node.has_error() {
            continue;
        }
        let mut cursor = node.walk();
        let before = stack.len();
        stack.extend(node.children(&mut cursor).filter(|child| child.has_error()));
        if stack.len() == before || node.is_error() || node.is_missing() {
            count += 1;
        }
    }
    count
}

/// The tree-sitter edit for replacing `range` of `text` (the text before
/// the edit) with `new_text`. tree-sitter counts rows by `\n` only and
/// columns in bytes, unlike LSP lines, so this does not go through
/// [`crate::text::LineIndex`].
pub fn input_edit(text: &str, range: Range<usize>, new_text: &str) -> InputEdit {
    let start_position = point_at(text, range.start);
    InputEdit {
        start_byte: range.start,
        old_end_byte: range.end,
        new_end_byte: range.start + new_text.len(),
        start_position,
        old_end_position: advance(start_position, &text[range]),
        new_end_position: advance(start_position, new_text),
    }
}

/// The tree-sitter point of a byte offset.
pub fn point_at(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = before.iter().filter(|&&byte| byte == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |index| index + 1);
    Point::new(row, offset - line_start)
}

/// The point reached after `inserted` text starting at `start`.
pub fn advance(start: Point, inserted: &str) -> Point {
    let bytes = inserted.as_bytes();
    match bytes.iter().rposition(|&byte| byte == b'\n') {
        Some(last) => {
            let rows = bytes.iter().filter(|&&byte| byte == b'\n').count();
            Point::new(start.row + rows, bytes.len() - last - 1)
        }
        None => Point::new(start.row, start.column + bytes.len()),
    }
}

/// Whether `edits`, applied to a `text` that parsed without errors into
/// `tree`, leave it without errors. Re-parses incrementally from the edited
/// tree, so it costs little. Text that already had errors says `true`:
/// recovery differs after any edit and proves nothing.
pub fn edits_keep_clean_parse(kind: FileKind, text: &str, tree: &Tree, edits: &[TextEdit]) -> bool {
    if tree.root_node().has_error() {
        return true;
    }
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|edit| std::cmp::Reverse((edit.range.start, edit.range.end)));
    let mut new_text = text.to_string();
    let mut new_tree = tree.clone();
    let mut limit = text.len();
    for edit in sorted {
        let range = edit.range.clone();
        if range.start > range.end
            || range.end > limit
            || !new_text.is_char_boundary(range.start)
            || !new_text.is_char_boundary(range.end)
        {
            return false;
        }
        new_tree.edit(&input_edit(&new_text, range.clone(), &edit.new_text));
        new_text.replace_range(range.clone(), &edit.new_text);
        limit = range.start;
    }
    parse(kind, &new_text, Some(&new_tree)).is_some_and(|fixed| !fixed.root_node().has_error())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_count_rows_by_newline_and_columns_in_bytes() {
        let text = "a\r\nb😀c\rd";
        assert_eq!(point_at(text, 3), Point::new(1, 0));
        assert_eq!(point_at(text, text.find('c').unwrap()), Point::new(1, 5));
        assert_eq!(advance(Point::new(2, 3), "xy\nz"), Point::new(3, 1));
        assert_eq!(advance(Point::new(2, 3), "xy"), Point::new(2, 5));
    }

    #[test]
    fn a_fix_that_breaks_clean_code_is_detected() {
        let text = "def f():\n    return 1\n";
        let tree = parse(FileKind::Python, text, None).unwrap();
        let good = [TextEdit::replace(20..21, "2")];
        let bad = [TextEdit::insert(9, "(")];
        assert!(edits_keep_clean_parse(FileKind::Python, text, &tree, &good));
        assert!(!edits_keep_clean_parse(FileKind::Python, text, &tree, &bad));
    }
}
