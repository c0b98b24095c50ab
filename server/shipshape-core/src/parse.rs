//! Parsing with one reusable parser per grammar and thread.

use std::{cell::RefCell, collections::HashMap, ops::Range, path::Path};

use tree_sitter::{InputEdit, Node, Parser, Point, Tree};

use crate::{kind::FileKind, text::TextEdit};

thread_local! {
    static PARSERS: RefCell<HashMap<FileKind, Parser>> = RefCell::new(HashMap::new());
}

/// Parses `text` as `kind`, reusing `old_tree` (already edited with
/// `Tree::edit`) for an incremental parse. `None` for kinds without a grammar.
pub fn parse(kind: FileKind, text: &str, old_tree: Option<&Tree>) -> Option<Tree> {
    let language = kind.language()?;
    crate::stats::count_parse();
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

/// Whether `new` (a node of a re-parsed tree) is `old` (a node of the tree
/// before the edit, over the same text) moved to its place: the same
/// kinds, fields, MISSING and extra nodes, every one at its old range moved
/// by the same number of bytes. A node holding a syntax error may parse
/// otherwise once the text around it changed; this tells when it did not.
///
/// Two nodes with the same `Node::id` (tree-sitter's address of the node
/// in its parent's list of children) sit in one list both trees share: the
/// same subtree, not walked. A subtree the re-parse reused whole under a
/// parent it built again has another id, and is compared a level down,
/// where its children's ids match; so the cost is about the nodes the
/// re-parse built again. Both trees must be alive (they are: both are
/// borrowed), so an address cannot have been reused by another list.
pub fn same_parse(old: Node<'_>, new: Node<'_>) -> bool {
    let delta = new.start_byte() as i64 - old.start_byte() as i64;
    let moved = |node: Node<'_>| {
        let range = node.byte_range();
        (range.start as i64 + delta, range.end as i64 + delta)
    };
    let same_node = |old: Node<'_>, new: Node<'_>| {
        let range = new.byte_range();
        old.kind_id() == new.kind_id()
            && moved(old) == (range.start as i64, range.end as i64)
            && old.is_missing() == new.is_missing()
            && old.is_extra() == new.is_extra()
            && old.child_count() == new.child_count()
    };
    let (mut old_cursor, mut new_cursor) = (old.walk(), new.walk());
    let (mut visited, mut depth) = (0, 0);
    let same = 'walk: loop {
        visited += 1;
        let (old_node, new_node) = (old_cursor.node(), new_cursor.node());
        if !same_node(old_node, new_node) || old_cursor.field_id() != new_cursor.field_id() {
            break false;
        }
        // The same object at the same place: the same subtree.
        let reused = old_node.id() == new_node.id();
        if !reused && old_cursor.goto_first_child() {
            if !new_cursor.goto_first_child() {
                break false;
            }
            depth += 1;
            continue;
        }
        loop {
            if depth == 0 {
                break 'walk true;
            }
            let old_next = old_cursor.goto_next_sibling();
            if old_next != new_cursor.goto_next_sibling() {
                break 'walk false;
            }
            if old_next {
                break;
            }
            if !(old_cursor.goto_parent() && new_cursor.goto_parent()) {
                break 'walk false;
            }
            depth -= 1;
        }
    };
    crate::work::nodes(visited);
    same
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
    let row = bytecount::count(before, b'\n');
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |index| index + 1);
    Point::new(row, offset - line_start)
}

/// The point reached after `inserted` text starting at `start`.
pub fn advance(start: Point, inserted: &str) -> Point {
    let bytes = inserted.as_bytes();
    match memchr::memrchr(b'\n', bytes) {
        Some(last) => {
            let rows = bytecount::count(bytes, b'\n');
            Point::new(start.row + rows, bytes.len() - last - 1)
        }
        None => Point::new(start.row, start.column + bytes.len()),
    }
}

/// Whether `edits`, applied to a `text` that parsed without errors into
/// `tree`, leave it without errors. Text that already had errors says
/// `true`: recovery differs after any edit and proves nothing. For many
/// fixes of one file use a [`FixValidator`].
pub fn edits_keep_clean_parse(kind: FileKind, text: &str, tree: &Tree, edits: &[TextEdit]) -> bool {
    FixValidator::new(kind, text, tree)
        .is_none_or(|mut validator| validator.keeps_clean_parse(edits))
}

/// Checks fixes of one file against its clean parse, with one parser reused
/// for every fix. A Python fix is checked in windows: the whole lines of the
/// top-level statements its edits touch, with the edits applied, must parse
/// without errors on their own (a module is a sequence of statements, so
/// clean windows between clean statements make a clean file; a window
/// whose error only later text would repair is rejected, which is the safe
/// side). That costs the size of the statements touched, not of the file —
/// re-parsing a 10,000-line module once per fix made `check` take seconds.
/// Other kinds re-parse the edited tree incrementally over a view of the
/// text with the edits applied.
pub struct FixValidator<'a> {
    kind: FileKind,
    text: &'a str,
    tree: &'a Tree,
    parser: Parser,
    /// Offsets of the text's `\n`s, for tree-sitter points.
    newlines: Vec<usize>,
    /// Python: the byte ranges of the module's top-level nodes.
    top_level: Vec<Range<usize>>,
}

impl<'a> FixValidator<'a> {
    /// A validator for `text` parsed into `tree`; `None` for kinds without
    /// a grammar and for trees with errors (every fix passes there).
    pub fn new(kind: FileKind, text: &'a str, tree: &'a Tree) -> Option<FixValidator<'a>> {
        if tree.root_node().has_error() {
            return None;
        }
        let language = kind.language()?;
        let mut parser = Parser::new();
        parser.set_language(&language).ok()?;
        let top_level = if kind == FileKind::Python {
            let root = tree.root_node();
            let mut cursor = root.walk();
            root.children(&mut cursor)
                .map(|child| child.byte_range())
                .collect()
        } else {
            Vec::new()
        };
        Some(FixValidator {
            kind,
            text,
            tree,
            parser,
            newlines: memchr_newlines(text),
            top_level,
        })
    }

    fn line_start(&self, offset: usize) -> usize {
        let row = self.newlines.partition_point(|&newline| newline < offset);
        if row == 0 {
            0
        } else {
            self.newlines[row - 1] + 1
        }
    }

    /// The end of the line holding `offset`, past its `\n`.
    fn line_end(&self, offset: usize) -> usize {
        let row = self.newlines.partition_point(|&newline| newline < offset);
        self.newlines
            .get(row)
            .map_or(self.text.len(), |newline| newline + 1)
    }

    /// Python: the windows a fix's edits are checked in — whole lines,
    /// extended over every top-level statement they overlap, merged when
    /// they overlap. Each window is a sequence of complete top-level
    /// statements, which is a module of its own.
    pub fn windows(&self, edits: &[TextEdit]) -> Vec<Range<usize>> {
        let mut windows: Vec<Range<usize>> = Vec::new();
        for edit in edits {
            let mut start = self.line_start(edit.range.start.min(self.text.len()));
            let mut end = self.line_end(edit.range.end.min(self.text.len()));
            loop {
                let first = self.top_level.partition_point(|node| node.end <= start);
                let mut changed = false;
                let limit = end;
                for node in self.top_level[first..]
                    .iter()
                    .take_while(|node| node.start < limit)
                {
                    let node_start = self.line_start(node.start);
                    let node_end = self.line_end(node.end.saturating_sub(1).max(node.start));
                    if node_start < start || node_end > end {
                        start = start.min(node_start);
                        end = end.max(node_end);
                        changed = true;
                    }
                }
                if !changed {
                    break;
                }
            }
            windows.push(start..end);
        }
        windows.sort_by_key(|window| window.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for window in windows {
            match merged.last_mut() {
                Some(last) if window.start < last.end => last.end = last.end.max(window.end),
                _ => merged.push(window),
            }
        }
        merged
    }

    /// Python: whether every window of the edits, with the edits applied,
    /// parses without errors on its own. The edits must be sorted, valid
    /// and non-overlapping.
    fn windows_parse_clean(&mut self, sorted: &[&TextEdit]) -> bool {
        let owned: Vec<TextEdit> = sorted.iter().map(|edit| (*edit).clone()).collect();
        for window in self.windows(&owned) {
            let mut fixed = String::with_capacity(window.len() + 64);
            let mut at = window.start;
            for edit in sorted
                .iter()
                .filter(|edit| window.start <= edit.range.start && edit.range.end <= window.end)
            {
                fixed.push_str(&self.text[at..edit.range.start]);
                fixed.push_str(&edit.new_text);
                at = edit.range.end;
            }
            fixed.push_str(&self.text[at..window.end]);
            let clean = self
                .parser
                .parse(&fixed, None)
                .is_some_and(|tree| !tree.root_node().has_error());
            if !clean {
                return false;
            }
        }
        true
    }

    fn point(&self, offset: usize) -> Point {
        let row = self.newlines.partition_point(|&newline| newline < offset);
        let line_start = if row == 0 {
            0
        } else {
            self.newlines[row - 1] + 1
        };
        Point::new(row, offset - line_start)
    }

    /// Whether the edits (non-overlapping, on char boundaries) keep the
    /// text free of syntax errors.
    pub fn keeps_clean_parse(&mut self, edits: &[TextEdit]) -> bool {
        self.check(edits).0
    }

    /// [`FixValidator::keeps_clean_parse`], with the text the answer
    /// depends on: the Python windows checked (empty for other kinds, where
    /// the whole text counts).
    pub fn check(&mut self, edits: &[TextEdit]) -> (bool, Vec<Range<usize>>) {
        let ok = self.check_edits(edits);
        let windows = if self.kind == FileKind::Python {
            self.windows(edits)
        } else {
            std::iter::once(0..self.text.len()).collect()
        };
        (ok, windows)
    }

    fn check_edits(&mut self, edits: &[TextEdit]) -> bool {
        let text = self.text;
        let mut sorted: Vec<&TextEdit> = edits.iter().collect();
        sorted.sort_by_key(|edit| (edit.range.start, edit.range.end));
        let mut previous_end = 0;
        for edit in &sorted {
            let range = &edit.range;
            if range.start > range.end
                || range.start < previous_end
                || range.end > text.len()
                || !text.is_char_boundary(range.start)
                || !text.is_char_boundary(range.end)
            {
                return false;
            }
            previous_end = range.end;
        }
        if self.kind == FileKind::Python {
            return self.windows_parse_clean(&sorted);
        }
        // Edit the tree from the last edit back, so that earlier offsets
        // and points still hold in the original text.
        let mut tree = self.tree.clone();
        for edit in sorted.iter().rev() {
            let range = edit.range.clone();
            let start_position = self.point(range.start);
            tree.edit(&InputEdit {
                start_byte: range.start,
                old_end_byte: range.end,
                new_end_byte: range.start + edit.new_text.len(),
                start_position,
                old_end_position: self.point(range.end),
                new_end_position: advance(start_position, &edit.new_text),
            });
        }
        // The new text as segments: (start in the new text, bytes).
        let mut segments: Vec<(usize, &[u8])> = Vec::with_capacity(sorted.len() * 2 + 1);
        let mut at = 0;
        let mut new_at = 0;
        for edit in &sorted {
            let kept = &text.as_bytes()[at..edit.range.start];
            if !kept.is_empty() {
                segments.push((new_at, kept));
                new_at += kept.len();
            }
            if !edit.new_text.is_empty() {
                segments.push((new_at, edit.new_text.as_bytes()));
                new_at += edit.new_text.len();
            }
            at = edit.range.end;
        }
        if at < text.len() {
            segments.push((new_at, &text.as_bytes()[at..]));
        }
        let mut read = |offset: usize, _: Point| -> &[u8] {
            let index = segments.partition_point(|&(start, _)| start <= offset);
            if index == 0 {
                return &[];
            }
            let (start, bytes) = segments[index - 1];
            bytes.get(offset - start..).unwrap_or(&[])
        };
        self.parser
            .parse_with_options(&mut read, Some(&tree), None)
            .is_some_and(|fixed| !fixed.root_node().has_error())
    }
}

fn memchr_newlines(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|&(_, byte)| byte == b'\n')
        .map(|(index, _)| index)
        .collect()
}

/// A file to check: its path (for context such as "is this a test?"), kind,
/// text and, for kinds with a grammar, its parsed tree.
pub struct SourceFile<'a> {
    pub path: &'a Path,
    pub kind: FileKind,
    pub text: &'a str,
    pub tree: Option<&'a Tree>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a re-parse read again, from the parser's log: deterministic,
    /// unlike a clock.
    struct Lexed {
        /// Tokens lexed (`lexed_lookahead`, once per token).
        tokens: usize,
        /// Characters the lexers stepped over (`consume character` and
        /// `skip character`, once per character, also for tokens thrown away).
        characters: usize,
        /// Parser actions (`shift`, `reuse_node`, `reduce`), once each: the
        /// tokens and subtrees the re-parse pushed and the nodes it built.
        steps: usize,
    }

    /// Re-parses `text` from `old` (already edited), counting what it lexed.
    fn reparse_counting(text: &str, old: &Tree) -> (Tree, Lexed) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let counts = std::sync::Arc::new([0; 3].map(AtomicUsize::new));
        let counter = std::sync::Arc::clone(&counts);
        let mut parser = Parser::new();
        parser
            .set_language(&FileKind::Python.language().unwrap())
            .unwrap();
        parser.set_logger(Some(Box::new(move |_, message: &str| {
            if message.starts_with("lexed_lookahead") {
                counter[0].fetch_add(1, Ordering::Relaxed);
            } else if message.starts_with("consume character")
                || message.starts_with("skip character")
            {
                counter[1].fetch_add(1, Ordering::Relaxed);
            }
            if message.starts_with("shift")
                || message.starts_with("reuse_node")
                || message.starts_with("reduce")
            {
                counter[2].fetch_add(1, Ordering::Relaxed);
            }
        })));
        let tree = parser.parse(text, Some(old)).unwrap();
        let lexed = Lexed {
            tokens: counts[0].load(Ordering::Relaxed),
            characters: counts[1].load(Ordering::Relaxed),
            steps: counts[2].load(Ordering::Relaxed),
        };
        (tree, lexed)
    }

    /// `header`, then `block(0)`, `block(1)`, ... until the text has at
    /// least `lines` lines; and how many blocks it took.
    fn repeated(header: &str, lines: usize, block: impl Fn(usize) -> String) -> (String, usize) {
        let (mut text, mut count, mut n) = (header.to_string(), header.matches('\n').count(), 0);
        while count < lines {
            let next = block(n);
            count += next.matches('\n').count();
            text.push_str(&next);
            n += 1;
        }
        (text, n)
    }

    /// Types a space at the end of the last line of the middle class of a
    /// module of `lines` lines of small classes, then deletes it: the
    /// tokens the re-parse after the deletion lexed.
    fn backspace_at_the_end_of_a_block(lines: usize) -> usize {
        let (text, n) = repeated("import dataclasses\n", lines, |n| {
            format!(
                "\n\n@dataclasses.dataclass\nclass Point{n}:\n    x: int = 0\n    y: int = {n}\n"
            )
        });
        let marker = format!("    y: int = {}\n", n / 2);
        let at = text.find(&marker).unwrap() + marker.len() - 1;
        let mut tree = parse(FileKind::Python, &text, None).unwrap();
        tree.edit(&input_edit(&text, at..at, " "));
        let mut typed = text.clone();
        typed.insert(at, ' ');
        let (mut tree, _) = reparse_counting(&typed, &tree);
        tree.edit(&input_edit(&typed, at..at + 1, ""));
        let (tree, lexed) = reparse_counting(&text, &tree);
        let fresh = parse(FileKind::Python, &text, None).unwrap();
        assert_eq!(tree.root_node().to_sexp(), fresh.root_node().to_sexp());
        lexed.tokens
    }

    /// A backspace at the end of a block's last line re-lexes a few tokens,
    /// however long the file: the vendored tree-sitter descends into a node
    /// made after another external scanner state instead of skipping it
    /// (`vendor/README.md`), else every statement after the edit is lexed
    /// again, each skipped for the same reason.
    #[test]
    fn a_backspace_at_the_end_of_a_block_reparses_about_the_same_on_2500_and_40000_lines() {
        let small = backspace_at_the_end_of_a_block(2_500);
        let large = backspace_at_the_end_of_a_block(40_000);
        assert!(
            small < 100 && large < 100,
            "tokens lexed again: {small} on 2,500 lines, {large} on 40,000"
        );
    }

    /// Types a space at the end of a statement in the middle function of a
    /// module of `lines` lines of functions with flat bodies: the tokens
    /// the re-parse lexed, and how many functions follow the edited one.
    fn keystroke_in_a_function_body(lines: usize) -> (usize, usize) {
        let (mut text, n) = repeated("import os\n", lines, |n| {
            let mut block = format!("\n\ndef report_{n}(data):\n    result = {{}}\n");
            for i in 0..20 {
                block.push_str(&format!(
                    "    value_{i} = data.get(\"field_{i}\", {n})\n    result[\"f{i}\"] = value_{i}\n"
                ));
            }
            block.push_str("    return result\n");
            block
        });
        let marker = format!("def report_{}(data):", n / 2);
        let function = text.find(&marker).unwrap();
        let at = function + text[function..].find("value_10 = ").unwrap() + "value_10".len();
        let mut tree = parse(FileKind::Python, &text, None).unwrap();
        tree.edit(&input_edit(&text, at..at, " "));
        text.insert(at, ' ');
        let (tree, lexed) = reparse_counting(&text, &tree);
        let fresh = parse(FileKind::Python, &text, None).unwrap();
        assert_eq!(tree.root_node().to_sexp(), fresh.root_node().to_sexp());
        (lexed.tokens, n - n / 2 - 1)
    }

    /// A keystroke in a function body re-lexes the statements of that
    /// function and a token or two (`def`) per function after it, not
    /// the file's statements: the vendored tree-sitter does not mark a node
    /// fragile for a repetition's shift it never takes (`vendor/README.md`).
    /// Unpatched, every statement list of a Python block is fragile and a
    /// re-parse of this generated module lexed the first token of about half
    /// its statements again (27,148 tokens on 40,000 lines).
    #[test]
    fn a_keystroke_in_a_function_body_reparses_the_function_not_the_file() {
        for lines in [2_500, 40_000] {
            let (lexed, after) = keystroke_in_a_function_body(lines);
            assert!(
                lexed <= 100 + 2 * after,
                "{lines} lines: {lexed} tokens lexed again, {after} functions after the edit"
            );
        }
    }

    /// Types a space in a statement of the middle function of a module of
    /// `lines` lines of functions that each call `print(...)`, deletes it
    /// and types it again, as a session does: the tokens the last re-parse
    /// lexed.
    fn keystroke_among_print_calls(lines: usize) -> usize {
        let (mut text, n) = repeated("import logging\n", lines, |n| {
            format!(
                "\n\ndef step_{n}(data):\n    total = sum(data)\n    print(\"step {n}\", total)\n    return total\n"
            )
        });
        let marker = format!("def step_{}(data):", n / 2);
        let function = text.find(&marker).unwrap();
        let at = function + text[function..].find("total = ").unwrap() + "total".len();
        let mut tree = parse(FileKind::Python, &text, None).unwrap();
        let mut lexed = 0;
        for (range, new_text) in [(at..at, " "), (at..at + 1, ""), (at..at, " ")] {
            tree.edit(&input_edit(&text, range.clone(), new_text));
            text.replace_range(range, new_text);
            let counted;
            (tree, counted) = reparse_counting(&text, &tree);
            lexed = counted.tokens;
        }
        let fresh = parse(FileKind::Python, &text, None).unwrap();
        assert_eq!(tree.root_node().to_sexp(), fresh.root_node().to_sexp());
        lexed
    }

    /// `print(...)` is a call and nothing else: the vendored
    /// tree-sitter-python has no Python 2 `print` statement
    /// (`vendor/README.md`). With it, every `print(x)` also parsed as one,
    /// the parser forked there, and the reductions made while both versions
    /// lived (the function's, the module's statement list's) were fragile,
    /// so each re-parse re-lexed the first tokens of the module's
    /// statements, before and after the edit: 1,249 tokens per key on the
    /// FastAPI shape, 4 without its 73 `print` calls.
    #[test]
    fn a_keystroke_among_print_calls_reparses_its_statement_not_the_module() {
        for lines in [2_500, 40_000] {
            let lexed = keystroke_among_print_calls(lines);
            assert!(lexed < 50, "{lines} lines: {lexed} tokens lexed again");
        }
        // Python 2's statements are errors, as in Python 3.
        for text in ["print \"x\"\n", "exec \"code\"\n"] {
            let tree = parse(FileKind::Python, text, None).unwrap();
            assert!(tree.root_node().has_error(), "{text:?}");
        }
        let tree = parse(FileKind::Python, "print(x)\nprint = log\n", None).unwrap();
        assert_eq!(
            tree.root_node().to_sexp(),
            "(module (expression_statement (call function: (identifier) arguments: (argument_list (identifier)))) (expression_statement (assignment left: (identifier) right: (identifier))))"
        );
    }

    /// A module of `lines` lines of functions with docstrings, one more
    /// docstring opened (`\'\'\'`, used nowhere else) in the middle function
    /// and never closed, and a three-line docstring closed in the function
    /// after it. Types at `places` (before the open docstring, inside it,
    /// in the closed one, and deep in the rest of the file) as a session
    /// does: one key, then one more. The most characters a re-parse after
    /// the first read again, and the final tree.
    fn keys_around_an_open_docstring(lines: usize) -> ((usize, usize), Tree, String) {
        let (mut text, n) = repeated("import logging\n", lines, |n| {
            format!(
                "\n\ndef step_{n}(data):\n    \"\"\"Step {n} of the job.\n\n    Sums the data.\n    \"\"\"\n    total = sum(data)\n    return total\n"
            )
        });
        let opened = format!("def step_{}(data):\n", n / 2);
        let at = text.find(&opened).unwrap() + opened.len();
        text.insert_str(at, "    \'\'\'\n");
        let mut tree = parse(FileKind::Python, &text, None).unwrap();
        let marker = |text: &str, m: usize, needle: &str| {
            let function = text.find(&format!("def step_{m}(data):")).unwrap();
            function + text[function..].find(needle).unwrap() + needle.len()
        };
        // The first re-parse of a fresh tree reads more (1,562 characters
        // here): a session's keys are counted from the second.
        let (mut most, mut steps, mut first) = (0, 0, true);
        for (m, needle) in [
            (n / 4, "total"),
            (n / 2, "\'\'\'"),
            (n / 2, "\'\'\'"),
            (n / 2 + 1, "Sums"),
            (3 * n / 4, "total"),
            (n - 1, "return"),
        ] {
            for _ in 0..2 {
                let at = marker(&text, m, needle);
                tree.edit(&input_edit(&text, at..at, "x"));
                text.insert(at, 'x');
                let lexed;
                (tree, lexed) = reparse_counting(&text, &tree);
                if !first {
                    most = most.max(lexed.characters);
                    steps = steps.max(lexed.steps);
                }
                first = false;
            }
        }
        ((most, steps), tree, text)
    }

    /// A docstring left open reads to the end of the file as a string, as
    /// in Python, with its end missing; and a key anywhere re-reads a run
    /// of lines, not the rest of the file: the vendored scanner lexes a
    /// triple-quoted string a run of lines per token (a run ends after a
    /// line whose hash is a multiple of 16) and takes the end of the file
    /// as the end of the string's content (`vendor/README.md`). Upstream
    /// returned the rest of the file as one `_dedent` the parser threw
    /// away, then parsed the rest as code: every re-parse read it again
    /// (153,182 characters per key on the 10,000-line benchmark shape).
    /// A token per line read a line, but made the string a repetition of
    /// thousands of tokens that every re-parse walked and balanced again.
    #[test]
    fn a_key_around_a_docstring_left_open_reads_a_run_of_lines_not_the_rest_of_the_file() {
        let mut read = Vec::new();
        for lines in [2_500, 40_000] {
            let ((most, steps), tree, text) = keys_around_an_open_docstring(lines);
            read.push((most, steps));
            assert!(most < 5_000, "{lines} lines: {most} characters read again");
            let fresh = parse(FileKind::Python, &text, None).unwrap();
            assert_eq!(tree.root_node().to_sexp(), fresh.root_node().to_sexp());
            let root = tree.root_node();
            assert_eq!(root.kind(), "module");
            assert_eq!(error_count(&tree), 1);
            // The statements before it are intact; the open function runs
            // to the end of the file, a string the last thing in it.
            let last = root
                .named_child(root.named_child_count() as u32 - 1)
                .unwrap();
            assert_eq!(last.kind(), "function_definition");
            assert!(
                !root
                    .named_child(root.named_child_count() as u32 - 2)
                    .unwrap()
                    .has_error()
            );
            assert_eq!(last.end_byte(), text.len());
            let sexp = last.to_sexp();
            assert!(
                sexp.ends_with("body: (block (expression_statement (string (string_start) (string_content) (MISSING string_end)))))"),
                "{}",
                &sexp[sexp.len().saturating_sub(200)..]
            );
        }
        // What a key reads is about the same on both. What the parser does
        // still grows with the open string (it pushes its tokens again: the
        // repetition's balanced nodes are not reused), but a token per run
        // of lines makes that a sixteenth or so of a token per line, which
        // gave 3,766 and 60,034 steps (420 and 6,180 now).
        let ((small_read, small_steps), (large_read, large_steps)) = (read[0], read[1]);
        assert!(
            large_read <= 2 * small_read.max(1)
                && small_steps < 2_500 / 4
                && large_steps < 40_000 / 4,
            "characters read again and parser steps, 2,500 then 40,000 lines: {read:?}"
        );
        // Closed strings parse as before: one content node, a line per
        // token hidden in it.
        let tree = parse(
            FileKind::Python,
            "x = \"\"\"a\nb\n\\n{c}\"\"\"\ny = f\"\"\"{x}\nz\"\"\"\n",
            None,
        )
        .unwrap();
        assert_eq!(
            tree.root_node().to_sexp(),
            "(module (expression_statement (assignment left: (identifier) right: (string (string_start) (string_content (escape_sequence)) (string_end)))) (expression_statement (assignment left: (identifier) right: (string (string_start) (interpolation expression: (identifier)) (string_content) (string_end)))))"
        );
        // A one-line string still ends at its line.
        let tree = parse(FileKind::Python, "x = 'abc\ny = 1\n", None).unwrap();
        assert!(tree.root_node().has_error());
        assert_eq!(
            tree.root_node().named_child(1).unwrap().to_sexp(),
            "(expression_statement (assignment left: (identifier) right: (integer)))"
        );
    }

    #[test]
    fn points_count_rows_by_newline_and_columns_in_bytes() {
        let text = "a\r\nb😀c\rd";
        assert_eq!(point_at(text, 3), Point::new(1, 0));
        assert_eq!(point_at(text, text.find('c').unwrap()), Point::new(1, 5));
        assert_eq!(advance(Point::new(2, 3), "xy\nz"), Point::new(3, 1));
        assert_eq!(advance(Point::new(2, 3), "xy"), Point::new(2, 5));
    }

    proptest::proptest! {
        /// The counted points equal a byte-by-byte count, on texts long
        /// enough for the vectorized counts' blocks and their tails.
        #[test]
        fn points_equal_a_byte_by_byte_count(
            text in "[a\n\r😀]{0,300}",
            offset in 0usize..1200,
            inserted in "[a\n]{0,80}",
        ) {
            let offset = (0..=offset.min(text.len()))
                .rev()
                .find(|&at| text.is_char_boundary(at))
                .unwrap_or(0);
            let before = &text.as_bytes()[..offset];
            let row = before.iter().filter(|&&byte| byte == b'\n').count();
            let line_start = before
                .iter()
                .rposition(|&byte| byte == b'\n')
                .map_or(0, |index| index + 1);
            let start = Point::new(row, offset - line_start);
            proptest::prop_assert_eq!(point_at(&text, offset), start);
            let rows = inserted.bytes().filter(|&byte| byte == b'\n').count();
            let expected = match inserted.rfind('\n') {
                Some(last) => Point::new(row + rows, inserted.len() - last - 1),
                None => Point::new(row, start.column + inserted.len()),
            };
            proptest::prop_assert_eq!(advance(start, &inserted), expected);
        }
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
