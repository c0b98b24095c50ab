//! Parsing with one reusable parser per grammar and thread.

use std::{cell::RefCell, collections::HashMap};

use tree_sitter::{Parser, Tree};

use crate::kind::FileKind;

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

/// Whether a tree holds syntax errors (ERROR or MISSING nodes).
pub fn error_count(tree: &Tree) -> usize {
    let mut count = 0;
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            count += 1;
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return count;
            }
        }
    }
}
