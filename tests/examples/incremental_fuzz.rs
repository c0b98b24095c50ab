//! The incremental check against a full check on real modules: for each
//! Python file named on stdin, random one-edit keys (a character, a quote,
//! a brace, a newline, a secret, a call, `not SECRET_KEY`), each check
//! starting from the previous one on the incrementally re-parsed tree as
//! the language server runs it, compared with a full check of a fresh
//! parse (of the incremental tree when tree-sitter's error recovery made
//! the two parses differ). Prints every difference to stderr and a summary;
//! exits 1 when a check differed. `tests/incremental.rs` holds the property
//! tests over fixed modules; this runs the same comparison
//! (`ReferenceParse`, `findings_only_in`) over a corpus.
//!
//! ```text
//! find bench/corpus/trees -name '*.py' | shuf -n 200 |
//!     cargo run --release -p shipshape-tests --example incremental_fuzz -- KEYS_PER_FILE SEED
//! ```

use std::io::BufRead;

use shipshape_core::{
    FileKind, SourceFile, check_file,
    incremental::{PreviousCheck, Shift, check_file_incremental},
    parse::{input_edit, parse},
    project::ProjectContext,
};
use shipshape_tests::{ReferenceParse, findings_only_in};

const SNIPPETS: [&str; 13] = [
    "x",
    "",
    "\"",
    "\n",
    ",",
    "{",
    "}",
    " ",
    "\"*\", ",
    "\"password\": \"s3cr3tvalue99\", ",
    "requests.get(url), ",
    "not SECRET_KEY",
    "1",
];

/// A file of `text` parsed into `tree`, under a path the rules see as a
/// service module, not a test.
fn source<'a>(text: &'a str, tree: &'a tree_sitter::Tree) -> SourceFile<'a> {
    SourceFile {
        path: std::path::Path::new("app/service.py"),
        kind: FileKind::Python,
        text,
        tree: Some(tree),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let keys: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let mut seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1).max(1);
    // xorshift: reproducible from the seed, no dependency.
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % (1 << 32)).unwrap_or(0)
    };
    let project = ProjectContext {
        frameworks: ["fastapi"].into_iter().collect(),
        ..ProjectContext::default()
    };
    let (mut files, mut checks, mut differing, mut recovered) = (0, 0, 0, 0);
    // Of those, the re-parses of text a fresh parse reads without an error.
    let mut recovered_valid = 0;
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let Ok(original) = std::fs::read_to_string(&line) else {
            continue;
        };
        files += 1;
        let mut text = original;
        let Some(mut tree) = parse(FileKind::Python, &text, None) else {
            continue;
        };
        let mut previous: Option<PreviousCheck> =
            check_file_incremental(None, None, &source(&text, &tree), &project).previous;
        for _ in 0..keys {
            if text.is_empty() {
                break;
            }
            let mut at = random() % text.len();
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = at;
            if random() % 3 == 0 && at < text.len() {
                end += 1;
                while !text.is_char_boundary(end) {
                    end += 1;
                }
            }
            let insert = SNIPPETS[random() % SNIPPETS.len()];
            tree.edit(&input_edit(&text, at..end, insert));
            text.replace_range(at..end, insert);
            let Some(reparsed) = parse(FileKind::Python, &text, Some(&tree)) else {
                break;
            };
            tree = reparsed;
            let checked = check_file_incremental(
                previous.as_ref(),
                Some(&Shift::new(at..end, insert.len())),
                &source(&text, &tree),
                &project,
            );
            let reference = ReferenceParse::new(&text, &tree);
            recovered += usize::from(!reference.same);
            if !reference.same && !reference.fresh.root_node().has_error() {
                recovered_valid += 1;
                eprintln!(
                    "{line}: {at}..{end} replaced by {insert:?}: the re-parse of valid text differs from a fresh parse"
                );
            }
            let expected = check_file(&source(&text, reference.tree(&tree)), &project);
            checks += 1;
            previous = checked.previous;
            if checked.findings != expected {
                differing += 1;
                eprintln!(
                    "{line}: {at}..{end} replaced by {insert:?} ({:?})",
                    checked.mode
                );
                for only in findings_only_in(&checked.findings, &expected) {
                    eprintln!("  only incremental: {only}");
                }
                for only in findings_only_in(&expected, &checked.findings) {
                    eprintln!("  only full: {only}");
                }
                // Go on from a full check.
                previous = None;
            }
        }
    }
    println!(
        "{files} files, {checks} checks, {differing} differing from a full check ({recovered} on a tree that differs from a fresh parse, {recovered_valid} of them of text without a syntax error)"
    );
    if differing > 0 {
        std::process::exit(1);
    }
}
