//! The engine's cost, asserted with its deterministic work counter
//! (`shipshape_core::work`), never with a clock: a full check grows
//! linearly with the file, and a keystroke costs about the same on a small
//! module as on a large one (the incremental check, as the language server
//! runs it). The modules are generated here, in shapes that once made the
//! engine slow: routes and request models (a per-field scan of every body
//! annotation), long literal tables (a keystroke re-checked the whole
//! table), deep nesting and docstrings.

use std::{path::Path, time::Duration};

use shipshape_core::{
    FileKind, SourceFile,
    check::check_file_checked,
    incremental::{IncrementalCheck, Mode, Shift, check_file_incremental_within},
    parse::{input_edit, parse},
    project::ProjectContext,
    work::Work,
};

/// Large enough that a debug build on a busy machine never stops early.
const BUDGET: Duration = Duration::from_secs(3600);

fn project() -> ProjectContext {
    ProjectContext {
        frameworks: ["fastapi"].into_iter().collect(),
        ..ProjectContext::default()
    }
}

/// Appends blocks made by `block(n)` to `head` until the text has `lines` lines.
fn grow(head: &str, lines: usize, block: impl Fn(usize) -> String) -> String {
    let mut text = head.to_string();
    let mut count = text.lines().count();
    let mut n = 0;
    while count < lines {
        let next = block(n);
        count += next.matches('\n').count();
        text.push_str(&next);
        n += 1;
    }
    text
}

/// A FastAPI service: request models, routes taking them as bodies, helpers.
fn routes_and_models(lines: usize) -> String {
    grow(
        "import logging\nimport os\n\nimport requests\nfrom fastapi import FastAPI\nfrom pydantic import BaseModel, Field\n\nlogger = logging.getLogger(__name__)\napp = FastAPI()\n",
        lines,
        |n| {
            format!(
                "\n\nclass Item{n}(BaseModel):\n    name: str\n    note: str = \"\"\n    tags: list[str] = Field(default_factory=list)\n    count: int = 0\n\n\n@app.post(\"/items{n}\")\nasync def create_item_{n}(item: Item{n}, limit: int = 10) -> dict:\n    try:\n        total = limit + {n}\n    except Exception:\n        pass\n    logger.info(\"created %s\", item.name)\n    return {{\"id\": total}}\n\n\ndef fetch_{n}(url):\n    response = requests.get(url, timeout=5)\n    return response.json()\n"
            )
        },
    )
}

/// Two long literal tables (a dict of records, a list of tuples).
fn literal_tables(lines: usize) -> String {
    let half = lines / 2;
    let mut text = grow("import os\n\nCOUNTRIES = {\n", half, |n| {
        format!(
            "    \"c{n}\": {{\"name\": \"Country {n}\", \"code\": \"C{n}\", \"population\": {n}, \"tags\": [\"a\", \"b\"]}},\n"
        )
    });
    text.push_str("}\n\nROWS = [\n");
    let text = grow(&text, lines - 6, |n| {
        format!("    (\"row{n}\", {n}, {n}.5, None, \"value {n}\"),\n")
    });
    format!("{text}]\n\n\ndef lookup(key):\n    return COUNTRIES.get(key)\n")
}

/// Long functions nested eight levels deep.
fn deep_nesting(lines: usize) -> String {
    grow(
        "import logging\n\nlogger = logging.getLogger(__name__)\n",
        lines,
        |n| {
            let mut function = format!("\n\ndef process_{n}(items, config):\n    total = 0\n");
            for level in 0..40 {
                let indent = "    ".repeat(1 + level % 8);
                function.push_str(&format!(
                    "{indent}if config.get(\"k{level}\"):\n{indent}    total += {level}\n"
                ));
            }
            function.push_str(
                "    try:\n        total += 1\n    except Exception:\n        logger.exception(\"x\")\n    return total\n",
            );
            function
        },
    )
}

/// Small functions with long docstrings.
fn docstrings(lines: usize) -> String {
    grow("\"\"\"Helpers.\"\"\"\n\nimport os\n", lines, |n| {
        format!(
            "\n\ndef helper_{n}(a, b):\n    \"\"\"Compute {n}.\n\n    Args:\n        a: the first.\n        b: the second.\n\n    Returns:\n        The sum.\n    \"\"\"\n    total = a + b\n    return total + {n}\n"
        )
    })
}

/// One function as long as the module, full of method calls on local
/// names (a rule asks how each object was built, per call).
fn one_long_function(lines: usize) -> String {
    let text = grow(
        "import logging\nimport os\n\nimport requests\n\n\ndef report(data):\n    session = requests.Session()\n    result = {}\n",
        lines - 1,
        |n| {
            format!(
                "    value_{n} = data.get(\"field_{n}\", {n})\n    result[\"f{n}\"] = session.get(\"http://x/{n}\", timeout=5).json() or value_{n}\n"
            )
        },
    );
    format!("{text}    return result\n")
}

type Shape = fn(usize) -> String;

const SHAPES: [(&str, Shape); 5] = [
    ("routes and models", routes_and_models),
    ("literal tables", literal_tables),
    ("deep nesting", deep_nesting),
    ("docstrings", docstrings),
    ("one long function", one_long_function),
];

fn source<'a>(text: &'a str, tree: &'a tree_sitter::Tree) -> SourceFile<'a> {
    SourceFile {
        path: Path::new("app/service.py"),
        kind: FileKind::Python,
        text,
        tree: Some(tree),
    }
}

fn full_check(text: &str) -> Work {
    let tree = parse(FileKind::Python, text, None).unwrap();
    let checked = check_file_checked(&source(text, &tree), &project(), &|_| true, BUDGET);
    assert_eq!(checked.incomplete, None);
    checked.work
}

/// `new` is at most `factor` times `old` on every count.
fn within(old: Work, new: Work, factor: f64) -> bool {
    let pairs = [
        (old.nodes, new.nodes),
        (old.facts, new.facts),
        (old.top_level, new.top_level),
        (old.matches, new.matches),
        (old.names, new.names),
    ];
    pairs
        .iter()
        .all(|&(old, new)| new as f64 <= factor * (old.max(1)) as f64)
}

/// A full check of 40,000 lines does at most 4.5 times the work of one of
/// 10,000 lines (linear would be 4), on every shape and every count.
#[test]
fn a_full_check_grows_linearly_with_the_file() {
    for (name, shape) in SHAPES {
        let small = full_check(&shape(10_000));
        let large = full_check(&shape(40_000));
        eprintln!("{name}: 10k lines {small:?}, 40k lines {large:?}");
        assert!(
            small.nodes > 10_000,
            "{name}: the counter counts nothing: {small:?}"
        );
        assert!(
            within(small, large, 4.5),
            "{name}: 10k lines {small:?}, 40k lines {large:?}"
        );
    }
}

/// One incremental check after typing `insert` after the middle one of the
/// `marker`s in `text`, as the language server runs it: the work of that
/// check, and whether it was partial.
fn keystroke(text: &str, marker: &str, insert: &str) -> (Work, Mode) {
    let project = project();
    let mut text = text.to_string();
    let mut tree = parse(FileKind::Python, &text, None).unwrap();
    let first = check_file_incremental_within(None, None, &source(&text, &tree), &project, BUDGET);
    let found: Vec<usize> = text.match_indices(marker).map(|(at, _)| at).collect();
    assert!(!found.is_empty(), "no {marker:?} in the module");
    let at = found[found.len() / 2] + marker.len();
    tree.edit(&input_edit(&text, at..at, insert));
    text.insert_str(at, insert);
    tree = parse(FileKind::Python, &text, Some(&tree)).unwrap();
    let checked = check_file_incremental_within(
        first.previous.as_ref(),
        Some(&Shift::new(at..at, insert.len())),
        &source(&text, &tree),
        &project,
        BUDGET,
    );
    (checked.work, checked.mode)
}

/// A keystroke costs about as much in a module of 2,500 lines as in one of
/// 40,000 (within 1.5×), counted in tree nodes visited (queries, hooks,
/// facts of the changed statement), query matches and module fact entries
/// touched: the rules run over the changed unit only — a function body, or
/// one element of a literal table — a hook never walks the file, and the
/// module facts change by the changed statement's entries.
#[test]
fn a_keystroke_costs_the_same_on_2500_and_40000_lines() {
    let cases: [(&str, Shape, &str, &str); 5] = [
        // Inside a function body, in the middle of the module.
        ("routes and models", routes_and_models, "total = limit", "1"),
        ("deep nesting", deep_nesting, "total += 1", "1"),
        ("docstrings", docstrings, "total = a", "a"),
        // Inside one record of a table (the table is one statement).
        ("literal tables", literal_tables, "\"name\": \"Country", "x"),
        ("literal tables", literal_tables, "(\"row", "x"),
    ];
    for (name, shape, marker, insert) in cases {
        let (small, small_mode) = keystroke(&shape(2_500), marker, insert);
        let (large, large_mode) = keystroke(&shape(40_000), marker, insert);
        assert!(
            matches!(small_mode, Mode::Partial { .. })
                && matches!(large_mode, Mode::Partial { .. }),
            "{name}: a keystroke after {marker:?} fell back to a full check"
        );
        eprintln!("{name}, after {marker:?}: 2.5k lines {small:?}, 40k lines {large:?}");
        let bounded = |small: u64, large: u64| large as f64 <= 1.5 * small.max(1) as f64;
        // Fact entries too: the module facts are updated from the changed
        // statement, not merged again from every statement.
        assert!(
            bounded(small.nodes, large.nodes.saturating_sub(DESCENT))
                && bounded(small.matches, large.matches)
                && bounded(small.facts, large.facts),
            "{name}, after {marker:?}: 2.5k lines {small:?}, 40k lines {large:?}"
        );
        assert!(small.nodes > 0 && small.nodes < 5_000, "{name}: {small:?}");
    }
}

/// One incremental check after replacing `range` of `text` by `insert`,
/// as the language server runs it: the work of that check, and whether it
/// was partial.
fn edit_once(text: &str, range: std::ops::Range<usize>, insert: &str) -> (Work, Mode) {
    let edited = Edited::new(text, range, insert);
    (edited.checked.work, edited.checked.mode)
}

/// The first check of `text` and the incremental one after an edit, with
/// the edited text and its re-parsed tree.
struct Edited {
    first: IncrementalCheck,
    checked: IncrementalCheck,
    text: String,
    tree: tree_sitter::Tree,
}

impl Edited {
    fn new(text: &str, range: std::ops::Range<usize>, insert: &str) -> Edited {
        let project = project();
        let mut text = text.to_string();
        let mut tree = parse(FileKind::Python, &text, None).unwrap();
        let first =
            check_file_incremental_within(None, None, &source(&text, &tree), &project, BUDGET);
        tree.edit(&input_edit(&text, range.clone(), insert));
        text.replace_range(range.clone(), insert);
        tree = parse(FileKind::Python, &text, Some(&tree)).unwrap();
        let checked = check_file_incremental_within(
            first.previous.as_ref(),
            Some(&Shift::new(range, insert.len())),
            &source(&text, &tree),
            &project,
            BUDGET,
        );
        Edited {
            first,
            checked,
            text,
            tree,
        }
    }
}

/// The middle one of the places `marker` occurs in `text` at or after `from`.
fn middle_of(text: &str, marker: &str, from: usize) -> usize {
    let found: Vec<usize> = text[from..]
        .match_indices(marker)
        .map(|(at, _)| from + at)
        .collect();
    assert!(!found.is_empty(), "no {marker:?} in the module");
    found[found.len() / 2]
}

/// Asserts that an edit made on a module of 2,500 and of 40,000 lines was
/// checked partially, and visited at most 1.5 times as many nodes and
/// matches on the large one (nodes: plus [`DESCENT`]).
fn assert_bounded(
    name: &str,
    (small, small_mode): (Work, Mode),
    (large, large_mode): (Work, Mode),
) {
    eprintln!("{name}: 2.5k lines {small:?} {small_mode:?}, 40k lines {large:?} {large_mode:?}");
    assert!(
        matches!(small_mode, Mode::Partial { .. }) && matches!(large_mode, Mode::Partial { .. }),
        "{name}: fell back to a full check ({small_mode:?}, {large_mode:?})"
    );
    let bounded = |small: u64, large: u64| large as f64 <= 1.5 * small.max(1) as f64;
    assert!(
        bounded(small.nodes, large.nodes.saturating_sub(DESCENT))
            && bounded(small.matches, large.matches),
        "{name}: 2.5k lines {small:?}, 40k lines {large:?}"
    );
    assert!(small.nodes < 5_000, "{name}: {small:?}");
}

/// What a query cursor may walk more on 40,000 lines than on 2,500 to reach
/// the changed statement: tree-sitter keeps a long run of siblings as a
/// balanced tree of hidden nodes, and 16 times the statements is 4 more
/// levels of it, a few nodes each, per walk.
const DESCENT: u64 = 32;

/// The routes-and-models module with a docstring just opened (`'''`) as
/// the first line of the middle route's body: from there on the module
/// reads as a string, and the tree holds a syntax error.
fn open_docstring(lines: usize) -> (String, usize) {
    let mut text = routes_and_models(lines);
    let at = middle_of(&text, "-> dict:\n", 0) + "-> dict:\n".len();
    text.insert_str(at, "    '''\n");
    (text, at)
}

/// A key typed inside a docstring left open in the middle of the module
/// (the module no longer parses) costs about as much on 2,500 lines as on
/// 40,000: a syntax error no longer makes every key a full check.
#[test]
fn a_key_in_a_docstring_opened_mid_file_costs_the_same_on_2500_and_40000_lines() {
    let key = |lines: usize| {
        let (text, opened) = open_docstring(lines);
        // In the text the open docstring swallowed, halfway to the end.
        let at = middle_of(&text, "total = limit", opened) + "total".len();
        edit_once(&text, at..at, "x")
    };
    assert_bounded("a key in an open docstring", key(2_500), key(40_000));
    // And the key that opens it.
    let open = |lines: usize| {
        let text = routes_and_models(lines);
        let at = middle_of(&text, "-> dict:\n", 0) + "-> dict:\n".len();
        edit_once(&text, at..at, "    '''\n")
    };
    let (small, _) = open(2_500);
    let (large, _) = open(40_000);
    eprintln!("opening a docstring: 2.5k lines {small:?}, 40k lines {large:?}");
}

/// A key typed far before a syntax error costs about as much on 2,500
/// lines as on 40,000, module facts included. The statement holding the
/// error has its facts derived again at every check (error recovery may
/// parse it differently once the text around it changed); when they come
/// out equal, the module facts count it as unchanged, rather than every
/// statement between it and the edit (which grew with the file).
#[test]
fn a_key_far_before_a_syntax_error_costs_the_same_on_2500_and_40000_lines() {
    let key = |lines: usize| {
        let (text, opened) = open_docstring(lines);
        let tree = parse(FileKind::Python, &text, None).unwrap();
        assert!(tree.root_node().has_error());
        // In a route's body an eighth of the way into the module (the
        // middle of its first quarter), far before the open docstring.
        let at = middle_of(&text[..opened / 2], "total = limit", 0) + "total".len();
        edit_once(&text, at..at, "x")
    };
    let (small, large) = (key(2_500), key(40_000));
    assert!(
        large.0.facts as f64 <= 1.5 * small.0.facts.max(1) as f64,
        "module facts: 2.5k lines {small:?}, 40k lines {large:?}"
    );
    assert_bounded("a key far before a syntax error", small, large);
}

/// A key typed before a long class whose method holds a docstring left
/// open (the class runs to the end of the file, holding the error) costs
/// about as much on 2,500 lines as on 40,000: the re-parse leaves the class
/// as it was, so the check keeps it, its facts and findings, rather than
/// running every rule over it again at every key.
#[test]
fn a_key_before_a_class_holding_a_syntax_error_does_not_check_the_class_again() {
    let key = |lines: usize| {
        let mut text = routes_and_models(lines / 2);
        let class_start = text.len();
        text.push_str(&one_long_class(lines / 2));
        let method = middle_of(&text, "(self):\n", class_start) + "(self):\n".len();
        text.insert_str(method, "        '''\n");
        let tree = parse(FileKind::Python, &text, None).unwrap();
        let root = tree.root_node();
        let last = root.child(root.child_count() - 1).unwrap();
        assert!(
            last.kind() == "class_definition" && last.has_error() && last.end_byte() == text.len(),
            "the class must hold the error and run to the end"
        );
        let at = middle_of(&text[..class_start], "total = limit", 0) + "total".len();
        edit_once(&text, at..at, "x")
    };
    let (small, large) = (key(2_500), key(40_000));
    for (work, mode) in [&small, &large] {
        assert!(
            matches!(mode, Mode::Partial { bytes } if *bytes < 1_000),
            "re-ran more than the route: {mode:?} {work:?}"
        );
    }
    assert_bounded("a key before a class holding an error", small, large);
}

/// A key typed in a method of a long class, before the method holding a
/// docstring left open (which runs to the end of the file, holding the
/// error), re-runs the rules over the changed method only: the class is
/// narrowed to its changed elements as one without an error is, and keeps
/// the other methods, the one holding the error too, since the re-parse
/// left them as they were. Telling that costs a walk of what the re-parse
/// built again: tree-sitter re-assembles the open string from its line
/// tokens, so at most a node per line of it beyond the small module's work.
#[test]
fn a_key_in_a_class_holding_a_syntax_error_rechecks_the_changed_method_only() {
    let key = |lines: usize| {
        let mut text = one_long_class(lines);
        let method = middle_of(&text, "(self):\n", 0) + "(self):\n".len();
        text.insert_str(method, "        '''\n");
        let at = middle_of(&text[..method], "total = response", 0) + "total".len();
        let string_lines = text[method..].lines().count() as u64;
        (edit_once(&text, at..at, "1"), string_lines)
    };
    let (((small, small_mode), _), ((large, large_mode), large_string)) = (key(2_500), key(40_000));
    eprintln!("2.5k lines {small:?} {small_mode:?}, 40k lines {large:?} {large_mode:?}");
    for mode in [small_mode, large_mode] {
        assert!(
            matches!(mode, Mode::Partial { bytes } if bytes < 1_000),
            "re-ran more than the method: {mode:?}"
        );
    }
    assert!(
        large.matches as f64 <= 1.5 * small.matches.max(1) as f64
            && large.nodes <= small.nodes * 3 / 2 + large_string,
        "2.5k lines {small:?}, 40k lines {large:?} ({large_string} lines in the open string)"
    );
}

/// A key at the top of a module (in its docstring, also one that splits
/// it, in its first import)
/// costs about as much on 2,500 lines as on 40,000, counted as the query
/// cursor really walks (`QueryCursor::visited_node_count`): a cursor
/// limited to the changed statements once walked on past them through
/// every later top-level statement, for the patterns rooted at `module`.
#[test]
fn a_key_at_the_top_of_a_module_costs_the_same_on_2500_and_40000_lines() {
    let with_docstring = |lines: usize| {
        format!(
            "\"\"\"A service: routes and models.\"\"\"\n\n{}",
            routes_and_models(lines)
        )
    };
    let in_docstring = |lines: usize| {
        let text = with_docstring(lines);
        let at = text.find("routes and").unwrap() + "routes".len();
        edit_once(&text, at..at, "x")
    };
    assert_bounded(
        "a key in the module docstring",
        in_docstring(2_500),
        in_docstring(40_000),
    );
    // Right after the opening quote: `"x""A service..."""`, adjacent
    // literals, which Python reads as one docstring; where imports are
    // inserted stays where it was.
    let after_quote = |lines: usize| {
        let text = with_docstring(lines);
        edit_once(&text, 1..1, "x")
    };
    assert_bounded(
        "a key splitting the module docstring",
        after_quote(2_500),
        after_quote(40_000),
    );
    let in_import = |lines: usize| {
        let text = with_docstring(lines);
        // A space at the end of the line: the import itself stays.
        let at = text.find("import logging").unwrap() + "import logging".len();
        edit_once(&text, at..at, " ")
    };
    assert_bounded(
        "a key in the first import",
        in_import(2_500),
        in_import(40_000),
    );
}

/// The routes-and-models module with one more import (`hashlib`) that one
/// function in the middle reads.
fn with_a_rare_import(lines: usize) -> String {
    let text = routes_and_models(lines);
    let text = text.replacen("import os\n", "import hashlib\nimport os\n", 1);
    let at = middle_of(&text, "\n\ndef fetch_", 0);
    let mut text = text;
    text.insert_str(
        at,
        "\n\ndef digest(data):\n    return hashlib.sha256(data).hexdigest()\n",
    );
    text
}

/// Renaming an import re-checks the import and the statements that read
/// it, not the module: the facts are diffed by key, and only the kept
/// statements that read a changed key run again.
#[test]
fn renaming_an_import_rechecks_its_readers_only() {
    let rename = |lines: usize| {
        let text = with_a_rare_import(lines);
        let at = text.find("import hashlib").unwrap() + "import ".len();
        edit_once(&text, at..at, "x")
    };
    assert_bounded("renaming an import", rename(2_500), rename(40_000));
}

/// Pasting a whole function into the middle of the module, and deleting
/// it again, re-check the changed statements (and the readers of the facts
/// they change: here a new builder, `session`, that no one reads), not the
/// module.
#[test]
fn pasting_or_deleting_a_function_rechecks_it_only() {
    let pasted = "\n\ndef pasted_helper(url):\n    session = requests.Session()\n    return session.get(url, timeout=5).json()\n";
    let paste = |lines: usize| {
        let text = routes_and_models(lines);
        let at = middle_of(&text, "\n\ndef fetch_", 0);
        edit_once(&text, at..at, pasted)
    };
    assert_bounded("pasting a function", paste(2_500), paste(40_000));
    let delete = |lines: usize| {
        let mut text = routes_and_models(lines);
        let at = middle_of(&text, "\n\ndef fetch_", 0);
        text.insert_str(at, pasted);
        edit_once(&text, at..at + pasted.len(), "")
    };
    assert_bounded("deleting a function", delete(2_500), delete(40_000));
}

/// One test class as long as the module (SQLAlchemy's and Django's test
/// modules have classes of thousands of lines): fields, plain and
/// decorated methods.
fn one_long_class(lines: usize) -> String {
    grow(
        "import logging\nimport unittest\n\nimport requests\n\nlogger = logging.getLogger(__name__)\n\n\nclass ServiceTest(unittest.TestCase):\n    timeout = 5\n\n    def setUp(self):\n        self.session = requests.Session()\n",
        lines,
        |n| {
            format!(
                "\n    def test_get_{n}(self):\n        response = self.session.get(\"http://x/{n}\", timeout=5)\n        try:\n            total = response.json()[\"n\"] + {n}\n        except Exception:\n            logger.exception(\"failed\")\n        self.assertEqual(total, {n})\n\n    @unittest.skip(\"slow\")\n    def test_slow_{n}(self):\n        value_{n} = {n}\n        self.assertTrue(value_{n})\n"
            )
        },
    )
}

/// Types `1` at `offset` into the middle `marker` of `shape` at 2,500 and
/// at 40,000 lines: the work of each keystroke and the bytes it re-ran
/// (a full check fails).
fn key_in_one_long_body(shape: Shape, marker: &str, offset: usize) -> [(Work, usize); 2] {
    let key = |lines: usize| {
        let text = shape(lines);
        let at = middle_of(&text, marker, 0) + offset;
        match edit_once(&text, at..at, "1") {
            (work, Mode::Partial { bytes }) => (work, bytes),
            (_, Mode::Full) => panic!("{lines} lines: a keystroke fell back to a full check"),
        }
    };
    let (small, large) = (key(2_500), key(40_000));
    eprintln!("2.5k lines {small:?}, 40k lines {large:?}");
    [small, large]
}

/// A keystroke inside one method of a class that is the whole module
/// re-runs the rules over that method, not the class: each statement of a
/// class body is a unit of its own. What still grows with the class is a
/// step over each of its body statements (patterns anchored on the class,
/// such as a request model's fields, look at each statement of the body,
/// not into it) and the list of its statements.
#[test]
fn a_keystroke_in_one_method_of_a_long_class_costs_the_same_on_2500_and_40000_lines() {
    let [(small, small_bytes), (large, large_bytes)] =
        key_in_one_long_body(one_long_class, "total = response", "total".len());
    let statements = |text: &str| text.matches("\n    def ").count() as u64 + 3;
    let more_statements = statements(&one_long_class(40_000)) - statements(&one_long_class(2_500));
    // The method and the blank lines around it, not the class.
    assert!(
        small_bytes < 1_000 && large_bytes < 1_000,
        "re-ran {small_bytes} and {large_bytes} bytes"
    );
    // The class's other methods are not re-checked: the work beyond the
    // small module's is at most a few node visits per body statement the
    // large class has more (a whole method is tens).
    assert!(
        large.nodes <= small.nodes * 3 / 2 + DESCENT + 5 * more_statements,
        "2.5k lines {small:?}, 40k lines {large:?}, {more_statements} more statements"
    );
    assert!(
        large.matches as f64 <= 1.5 * small.matches.max(1) as f64,
        "2.5k lines {small:?}, 40k lines {large:?}"
    );
}

/// A module that is one long function of flat statements (a report
/// builder), with a call whose keyword arguments come from a dict bound at
/// its top (dataflow through the whole function).
fn one_long_report(lines: usize) -> String {
    grow(
        "import logging\n\nimport requests\n\nlogger = logging.getLogger(__name__)\n\n\ndef report(data: dict) -> dict:\n    result: dict = {}\n    options = {\"timeout\": 5}\n",
        lines,
        |n| {
            format!(
                "    value_{n} = data.get(\"field_{n}\", {n})\n    result[\"field_{n}\"] = value_{n} * {n} + len(result)\n    logger.info(\"step {n}: %s\", result.get(\"field_{n}\"))\n    if value_{n} > {n}:\n        requests.get(\"https://reports.internal/{n}\", **options)\n"
            )
        },
    )
}

/// A keystroke in one statement of a function that is the whole module
/// re-runs the rules over that statement, not the function: each statement
/// of a top-level function's body is a unit of its own, and the statements
/// whose dataflow reads a name (`options`, `result`) run again only when
/// the edited statement mentions it. What still grows with the function,
/// by a few dozen node visits and a few fact entries per body statement
/// and no rule match: the walk that indexes the function's bindings for
/// the re-run statement's dataflow (built again each check), and the scan
/// of the kept statements' reads for a name the edit mentions.
#[test]
fn a_keystroke_in_one_statement_of_a_long_function_costs_the_same_on_2500_and_40000_lines() {
    let [(small, small_bytes), (large, large_bytes)] =
        key_in_one_long_body(one_long_report, "value_", "value".len());
    let statements = |text: &str| text.matches("\n    ").count() as u64;
    let more_statements =
        statements(&one_long_report(40_000)) - statements(&one_long_report(2_500));
    // The statement and the line around it, not the function.
    assert!(
        small_bytes < 200 && large_bytes < 200,
        "re-ran {small_bytes} and {large_bytes} bytes"
    );
    assert!(
        large.nodes <= small.nodes * 3 / 2 + DESCENT + 40 * more_statements
            && large.facts <= small.facts * 3 / 2 + 5 * more_statements,
        "2.5k lines {small:?}, 40k lines {large:?}, {more_statements} more statements"
    );
    assert!(
        large.matches as f64 <= 1.5 * small.matches.max(1) as f64,
        "2.5k lines {small:?}, 40k lines {large:?}"
    );
}

/// A test module whose one test compares a response with a literal
/// OpenAPI document: one `assert` statement as long as the module, a dict
/// of dicts (as FastAPI's own tests are).
fn one_long_snapshot(lines: usize) -> String {
    let mut text = grow(
        "from fastapi.testclient import TestClient\n\nfrom app.main import app\n\n\ndef test_openapi():\n    client = TestClient(app)\n    response = client.get(\"/openapi.json\")\n    assert response.json() == {\n        \"openapi\": \"3.1.0\",\n        \"info\": {\"title\": \"FastAPI\", \"version\": \"0.1.0\"},\n        \"paths\": {\n",
        lines,
        |n| {
            format!(
                "            \"/items/{n}\": {{\n                \"get\": {{\n                    \"summary\": \"Read Item {n}\",\n                    \"operationId\": \"read_item_{n}_get\",\n                    \"responses\": {{\"200\": {{\"description\": \"Successful Response\"}}}},\n                }},\n            }},\n"
            )
        },
    );
    text.push_str("        },\n    }\n");
    text
}

/// A keystroke inside a literal that is one statement as long as the module
/// (a test's `assert response.json() == {...}`) re-runs the rules over the
/// innermost record it lies in, not the statement: a large element of a
/// table or body is split into the elements of the table it is made of,
/// level by level. What still grows is a step over each element of the
/// tables around the record (listing them, and the cursors over each
/// table's head and tail stepping past them).
#[test]
fn a_keystroke_in_a_literal_as_long_as_the_module_costs_the_same_on_2500_and_40000_lines() {
    let [(small, small_bytes), (large, large_bytes)] =
        key_in_one_long_body(one_long_snapshot, "Read Item", "Read".len());
    let records = |text: &str| text.matches("\"/items/").count() as u64;
    let more_records = records(&one_long_snapshot(40_000)) - records(&one_long_snapshot(2_500));
    // The record and the line around it, not the statement.
    assert!(
        small_bytes < 400 && large_bytes < 400,
        "re-ran {small_bytes} and {large_bytes} bytes"
    );
    assert!(
        large.nodes <= small.nodes * 3 / 2 + DESCENT + 5 * more_records
            && large.facts <= small.facts * 3 / 2
            && large.top_level <= small.top_level + 4 * more_records,
        "2.5k lines {small:?}, 40k lines {large:?}, {more_records} more records"
    );
    assert!(
        large.matches as f64 <= 1.5 * small.matches.max(1) as f64,
        "2.5k lines {small:?}, 40k lines {large:?}"
    );
}

/// The number of units of a Python text: its top-level nodes, and the
/// body statements of its top-level classes and functions (each a unit of
/// its own).
fn units(text: &str) -> usize {
    let tree = parse(FileKind::Python, text, None).unwrap();
    let root = tree.root_node();
    let mut cursor = root.walk();
    root.children(&mut cursor)
        .map(|node| {
            let definition = match node.kind() {
                "decorated_definition" => node.child_by_field_name("definition"),
                _ => Some(node),
            };
            let body = definition
                .filter(|definition| {
                    matches!(
                        definition.kind(),
                        "class_definition" | "function_definition"
                    )
                })
                .and_then(|definition| definition.child_by_field_name("body"));
            1 + body.map_or(0, |body| body.child_count() as usize)
        })
        .sum()
}

/// What a keystroke carries over from the last check is kept per unit (a
/// top-level statement), not per fact read: the reads of a kept statement
/// move as one entry however many reads its rules made, so the
/// bookkeeping of a key grows with the statements of the module, never
/// with the rules' reads (thousands per long function).
#[test]
fn a_keystroke_carries_reads_per_statement_not_per_read() {
    let cases: [(&str, Shape, &str, &str); 3] = [
        ("routes and models", routes_and_models, "total = limit", "1"),
        ("deep nesting", deep_nesting, "total += 1", "1"),
        ("docstrings", docstrings, "total = a", "a"),
    ];
    for (name, shape, marker, insert) in cases {
        let text = shape(40_000);
        let tree = parse(FileKind::Python, &text, None).unwrap();
        let findings = check_file_checked(&source(&text, &tree), &project(), &|_| true, BUDGET)
            .findings
            .len();
        let units = units(&text);
        let (work, mode) = keystroke(&text, marker, insert);
        eprintln!("{name}: {units} top-level nodes, {findings} findings: {work:?} {mode:?}");
        assert!(matches!(mode, Mode::Partial { .. }), "{name}: {mode:?}");
        // Listing the top-level nodes, merging their facts, moving their
        // reads, and the findings kept.
        assert!(
            work.top_level as usize <= 4 * units + 2 * findings + 100,
            "{name}: {units} top-level nodes, {findings} findings: {work:?}"
        );
    }
}

/// The language server hands the project model the tree and module facts
/// its document check made from a text: the model derives neither again
/// (a whole module's facts per typing pause, on the same cores as the
/// keystrokes), and finds the same as from the text alone.
#[test]
fn the_project_model_takes_a_checked_documents_tree_and_module_facts() {
    use shipshape_core::workspace::{Parsed, Workspace};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("requirements.txt"), "fastapi\nrequests\n").unwrap();
    let path = root.join("service.py");
    let text = routes_and_models(10_000);
    std::fs::write(&path, &text).unwrap();
    let at = middle_of(&text, "total = limit", 0);
    let mut edited = text.clone();
    edited.insert_str(at, "other = 1\n        ");
    let tree = parse(FileKind::Python, &edited, None).unwrap();
    let checked =
        check_file_incremental_within(None, None, &source(&edited, &tree), &project(), BUDGET);
    let module = checked.previous.as_ref().unwrap().module();
    let mut given = Workspace::load(std::slice::from_ref(&root));
    let mut alone = Workspace::load(std::slice::from_ref(&root));
    let ((), with_parts) = shipshape_core::work::measure(|| {
        given.apply_parsed([(
            path.clone(),
            Some(edited.clone()),
            Some(Parsed {
                kind: FileKind::Python,
                tree: &tree,
                module: Some(module),
            }),
        )]);
    });
    let ((), from_text) = shipshape_core::work::measure(|| {
        alone.apply([(path.clone(), Some(edited.clone()))]);
    });
    eprintln!("with the document's parts {with_parts:?}, from the text {from_text:?}");
    assert!(from_text.nodes > 10_000, "{from_text:?}");
    assert!(
        with_parts.nodes * 10 < from_text.nodes,
        "the model derived the module's facts again: {with_parts:?} vs {from_text:?}"
    );
    let findings = |workspace: &Workspace| -> Vec<String> {
        workspace
            .findings_in(&path)
            .iter()
            .map(|found| format!("{:?}", found.finding))
            .collect()
    };
    assert_eq!(findings(&given), findings(&alone));
    assert!(
        !findings(&alone).is_empty(),
        "no project finding to compare"
    );
}

/// Most of the rules' patterns rooted at a call resolve its callee's name:
/// a full check qualifies it once per call, not once per pattern (the
/// matches of one call come one after another, and the last answer is
/// kept). A comment spells the names those patterns resolve to, so that
/// the walk starts them all (a whole file's walk skips the patterns of
/// names its text never spells: `predicates::TextNeeds`).
#[test]
fn a_full_check_qualifies_each_callee_once() {
    let calls = 200;
    let mut text = String::from(
        "import requests\n# httpx aiohttp urllib3 niquests urllib request urlopen time sleep logging getLogger basicConfig subprocess run call check_call check_output os system uvicorn sqlalchemy sqlmodel sql expression text flask quart jsonify dj_database_url config qdrant_client QdrantClient AsyncQdrantClient client ClientSession starlette fastapi staticfiles StaticFiles\n\n\ndef fetch(urls):\n",
    );
    for index in 0..calls {
        text.push_str(&format!("    requests.get(urls[{index}], timeout=5)\n"));
    }
    let work = full_check(&text);
    assert!(work.matches >= 10 * calls, "{work:?}");
    assert!(work.names <= calls + 10, "{work:?}");
    // The language server's first check, which records what each match
    // reads (a match answered from memory records the read again: see
    // `an_import_changed_under_calls_answered_from_memory_rechecks_them`).
    let tree = parse(FileKind::Python, &text, None).unwrap();
    let first =
        check_file_incremental_within(None, None, &source(&text, &tree), &project(), BUDGET);
    assert_eq!(first.mode, Mode::Full);
    assert!(first.work.matches >= 10 * calls, "{:?}", first.work);
    assert!(first.work.names <= calls + 10, "{:?}", first.work);
}

/// The reads a callee's qualified name makes are recorded for every match
/// that asks, also when the name comes from memory: after the import is
/// changed, the calls are checked again, and the findings (the calls'
/// missing timeouts, gone) are a full check's.
#[test]
fn an_import_changed_under_calls_answered_from_memory_rechecks_them() {
    let mut text = String::from("import requests\n\n\ndef fetch(urls):\n");
    for index in 0..50 {
        text.push_str(&format!("    requests.get(urls[{index}])\n"));
    }
    // `requests.get` now names `vendored.requests.get`.
    let Edited {
        first,
        checked,
        text,
        tree,
    } = Edited::new(&text, 0.."import".len(), "from vendored import");
    assert!(first.findings.len() >= 50, "{:?}", first.findings);
    assert!(
        matches!(checked.mode, Mode::Partial { .. }),
        "{:?}",
        checked.mode
    );
    let full = check_file_checked(&source(&text, &tree), &project(), &|_| true, BUDGET);
    assert_eq!(checked.findings, full.findings);
    assert!(checked.findings.len() < first.findings.len());
}
