//! Property test of the server's document store: after hundreds of random
//! incremental edits (random ranges, non-ASCII and line-break inserts, in
//! every position encoding, some batched, some invalid), with checks run at
//! random points in between (each re-parsing from the edited old tree), the
//! findings equal those of a fresh open of the same final text.
//!
//! Runs in-process against `shipshape_lsp::document` and the core engine;
//! positions are computed by the client-side helpers in `support/lsp.rs`,
//! independently of the server's `LineIndex`.

use std::{path::PathBuf, sync::Arc};

use proptest::prelude::*;
use shipshape_core::{FileKind, text::Position};
use shipshape_lsp::document::{Analysis, Change, Document, analyze};
use shipshape_tests::lsp::{Enc, position_of};

const PIECES: &[&str] = &[
    "try:\n",
    "    pass\n",
    "except:",
    "except ValueError:",
    "except",
    ":",
    " ",
    "    ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "😀",
    "👩‍👩‍👧",
    "中文",
    "日本語",
    "é",
    "x = '",
    "'",
    "\"",
    "\"\"\"",
    "#",
    "# shipshape: ignore[bare-except]",
    "def f():\n",
    "(",
    ")",
    "\\",
    "\0",
    "return None\n",
    "a",
];

const START: &str = "# 設定 😀\ntry:\n    x = '中'\nexcept:\n    pass\n\ndef f():\n    try:\n        pass\n    except:  # 😀\n        pass\n";

#[derive(Clone, Debug)]
enum Op {
    /// One `didChange` of one or more range edits; offsets are seeds
    /// reduced modulo the text length at the time.
    Edit {
        encoding: Enc,
        edits: Vec<(usize, usize, String)>,
    },
    /// A `didChange` whose second change has a bad range: must change nothing.
    Bad {
        encoding: Enc,
        start_seed: usize,
        inverted: bool,
    },
    /// A whole-text replacement.
    Full(String),
    /// Check the document (re-parse from the edited tree and keep it).
    Check,
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..4).prop_map(|pieces| pieces.concat())
}

fn encoding_strategy() -> impl Strategy<Value = Enc> {
    prop::sample::select(Enc::ALL.to_vec())
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => (encoding_strategy(), prop::collection::vec((any::<usize>(), 0usize..24, text_strategy()), 1..4))
            .prop_map(|(encoding, edits)| Op::Edit { encoding, edits }),
        1 => (encoding_strategy(), any::<usize>(), any::<bool>())
            .prop_map(|(encoding, start_seed, inverted)| Op::Bad { encoding, start_seed, inverted }),
        1 => prop::collection::vec(text_strategy(), 0..8).prop_map(|texts| Op::Full(texts.concat())),
        4 => Just(Op::Check),
    ]
}

/// A byte offset an LSP position can address: on a character boundary and
/// not between the `\r` and `\n` of a line break.
fn addressable(text: &str, seed: usize) -> usize {
    let mut offset = seed % (text.len() + 1);
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    if offset > 0 && text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
        offset -= 1;
    }
    offset
}

fn position(text: &str, offset: usize, encoding: Enc) -> Position {
    let (line, column) = position_of(text, offset, encoding);
    Position::new(line, column)
}

fn to_core(encoding: Enc) -> shipshape_core::text::Encoding {
    match encoding {
        Enc::Utf8 => shipshape_core::text::Encoding::Utf8,
        Enc::Utf16 => shipshape_core::text::Encoding::Utf16,
        Enc::Utf32 => shipshape_core::text::Encoding::Utf32,
    }
}

/// What a check reports, comparable across documents.
fn report(document: &Document, analysis: &Analysis) -> Vec<String> {
    let snapshot = document.snapshot(Arc::default());
    analysis
        .findings
        .iter()
        .map(|finding| {
            format!(
                "{} {:?} {} {:?} ignore={:?}",
                finding.rule.id,
                finding.range,
                finding.message,
                finding.fix,
                snapshot.ignore_edit(analysis.tree.as_ref(), finding.range.start, finding.rule.id)
            )
        })
        .collect()
}

fn check(document: &mut Document) -> Vec<String> {
    let analysis = analyze(&document.snapshot(Arc::default()));
    document.accept(&analysis);
    let mut lines = report(document, &analysis);
    if let Some(tree) = &analysis.tree {
        lines.push(tree_shape(tree));
    }
    lines
}

/// Every node of a tree with its byte range and points: an incremental
/// parse fed wrong `InputEdit` rows or columns would differ here even when
/// the findings (byte ranges) agree.
fn tree_shape(tree: &tree_sitter::Tree) -> String {
    let mut out = String::new();
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        out.push_str(&format!(
            "{}{:?}{:?}{:?};",
            node.kind(),
            node.byte_range(),
            node.start_position(),
            node.end_position()
        ));
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let path = PathBuf::from("app/main.py");
    let mut document = Document::new(path.clone(), FileKind::Python, true, 1, START.to_string());
    let mut text = START.to_string();
    let mut version = 1;
    check(&mut document);
    for op in ops {
        match op {
            Op::Edit { encoding, edits } => {
                let mut changes = Vec::new();
                for (seed, length, new_text) in edits {
                    let start = addressable(&text, seed);
                    let end = addressable(&text, start + length.min(text.len() - start)).max(start);
                    changes.push(Change::Range {
                        start: position(&text, start, encoding),
                        end: position(&text, end, encoding),
                        text: new_text.clone(),
                    });
                    text.replace_range(start..end, &new_text);
                }
                version += 1;
                prop_assert_eq!(
                    document.apply_changes(version, changes, to_core(encoding)),
                    Ok(())
                );
            }
            Op::Bad {
                encoding,
                start_seed,
                inverted,
            } => {
                let lines = position(&text, text.len(), encoding).line;
                let bad = if inverted {
                    let end = addressable(&text, start_seed);
                    let start = position(&text, end, encoding);
                    let end = Position::new(start.line, start.column + 1);
                    // Swap so that start > end.
                    Change::Range {
                        start: end,
                        end: start,
                        text: "x".into(),
                    }
                } else {
                    let line = lines + 1 + (start_seed % 5) as u32;
                    Change::Range {
                        start: Position::new(line, 0),
                        end: Position::new(line, 1),
                        text: "x".into(),
                    }
                };
                let good = Change::Range {
                    start: Position::new(0, 0),
                    end: Position::new(0, 0),
                    text: "y".into(),
                };
                prop_assert!(
                    document
                        .apply_changes(version + 1, vec![good, bad], to_core(encoding))
                        .is_err()
                );
                let stale = Change::Full("stale".into());
                prop_assert!(
                    document
                        .apply_changes(version, vec![stale], to_core(encoding))
                        .is_err()
                );
            }
            Op::Full(new_text) => {
                version += 1;
                text = new_text.clone();
                prop_assert_eq!(
                    document.apply_changes(
                        version,
                        vec![Change::Full(new_text)],
                        to_core(Enc::Utf16)
                    ),
                    Ok(())
                );
            }
            Op::Check => {
                check(&mut document);
            }
        }
        prop_assert_eq!(document.text(), text.as_str());
        prop_assert_eq!(document.version(), version);
    }
    prop_assert_eq!(document.rope().to_string(), text.clone());
    let incremental = check(&mut document);
    let mut fresh = Document::new(path, FileKind::Python, true, version, text.clone());
    let expected = check(&mut fresh);
    prop_assert_eq!(incremental, expected, "final text: {:?}", text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: shipshape_tests::proptest_cases(48),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_incremental_edits_match_a_fresh_open(ops in prop::collection::vec(op_strategy(), 200..400)) {
        run(ops)?;
    }
}

#[test]
fn edits_that_keep_the_code_valid_track_the_bare_excepts() {
    // A deterministic companion: type a bare except character by character
    // after a CJK line, checking after every keystroke.
    let mut document = Document::new(
        PathBuf::from("m.py"),
        FileKind::Python,
        true,
        1,
        "s = '中文😀'\n".into(),
    );
    let mut text = String::from("s = '中文😀'\n");
    for (index, c) in "try:\n    pass\nexcept:\n    pass\n".chars().enumerate() {
        let at = position(&text, text.len(), Enc::Utf16);
        let change = Change::Range {
            start: at,
            end: at,
            text: c.to_string(),
        };
        document
            .apply_changes(index as i32 + 2, vec![change], to_core(Enc::Utf16))
            .unwrap();
        text.push(c);
        let incremental = check(&mut document);
        let mut fresh = Document::new(
            PathBuf::from("m.py"),
            FileKind::Python,
            true,
            1,
            text.clone(),
        );
        assert_eq!(incremental, check(&mut fresh), "after typing {:?}", text);
    }
    assert_eq!(
        check(&mut document)
            .iter()
            .filter(|line| line.starts_with("bare-except"))
            .count(),
        1
    );
}
